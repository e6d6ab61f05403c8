/**
 * The web app's text/event-stream parser (web/src/sse-parser.ts): the browser reads GET /v1/events
 * with fetch, so the stream arrives in chunks cut anywhere, and the parser must put events back together.
 */
import { describe, expect, it } from 'vitest';
import { type StreamEvent, createSseParser } from '../../../web/src/sse-parser.js';

function parseAll(chunks: string[]): StreamEvent[] {
  const events: StreamEvent[] = [];
  const feed = createSseParser((e) => events.push(e));
  for (const chunk of chunks) feed(chunk);
  return events;
}

const STREAM =
  'id: 1\nevent: ready\ndata: {"role":"member"}\n\n' +
  ': keep-alive\n\n' +
  'id: 2\nevent: payment\ndata: {"paymentId":"p1","status":"success"}\n\n';

describe('the event-stream parser', () => {
  it('yields each event with its name, data and id, and skips keep-alive comments', () => {
    expect(parseAll([STREAM])).toEqual([
      { event: 'ready', data: '{"role":"member"}', id: '1' },
      { event: 'payment', data: '{"paymentId":"p1","status":"success"}', id: '2' },
    ]);
  });

  it('gives the same events however the stream is cut into chunks, even one character at a time', () => {
    const whole = parseAll([STREAM]);
    expect(parseAll(STREAM.split(''))).toEqual(whole);
    for (let cut = 1; cut < STREAM.length; cut++)
      expect(parseAll([STREAM.slice(0, cut), STREAM.slice(cut)])).toEqual(whole);
  });

  it('accepts CRLF and CR line endings, also with CR and LF in different chunks', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    expect(parseAll([crlf])).toEqual(parseAll([STREAM]));
    expect(parseAll(crlf.split(''))).toEqual(parseAll([STREAM]));
    expect(parseAll([STREAM.replaceAll('\n', '\r')])).toEqual(parseAll([STREAM]));
  });

  it('joins multi-line data with newlines, defaults the name to "message", and waits for the blank line', () => {
    expect(parseAll(['data: a\ndata:b\n\n'])).toEqual([{ event: 'message', data: 'a\nb', id: undefined }]);
    expect(parseAll(['event: payment\ndata: {}\n'])).toEqual([]);
  });
});
