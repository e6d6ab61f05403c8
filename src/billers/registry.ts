/**
 * Adapters registered by name, each behind its circuit breaker, and the product → adapter routing
 * from config/products.ts.
 */
import type { ProductSpec } from '../../config/products.js';
import { skuFor } from '../../config/products.js';
import type { Clock } from '../clock.js';
import { type CircuitBreaker, createCircuitBreaker } from './breaker.js';
import type { BillerAdapter } from './port.js';

export interface RegisteredAdapter {
  adapter: BillerAdapter;
  breaker: CircuitBreaker;
}

export interface Route {
  adapter: BillerAdapter;
  breaker: CircuitBreaker;
  sku: string;
}

export interface BillerRegistry {
  get(name: string): RegisteredAdapter | undefined;
  names(): string[];
  /** The product's routes in preference order, with the SKU resolved; adapters not registered are skipped. */
  routes(product: ProductSpec, denomination?: bigint): Route[];
}

export function createBillerRegistry(adapters: BillerAdapter[], clock: Clock): BillerRegistry {
  const byName = new Map<string, RegisteredAdapter>();
  for (const adapter of adapters) {
    if (byName.has(adapter.name)) throw new Error(`adapter ${adapter.name} registered twice`);
    byName.set(adapter.name, { adapter, breaker: createCircuitBreaker(clock) });
  }
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
    routes(product, denomination) {
      const routes: Route[] = [];
      for (const r of product.routes) {
        const registered = byName.get(r.adapter);
        if (registered) routes.push({ ...registered, sku: skuFor(r.sku, denomination) });
      }
      return routes;
    },
  };
}
