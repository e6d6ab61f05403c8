/**
 * An incremental parser of the text/event-stream format (the WHATWG "event stream interpretation"):
 * feed it decoded text as it arrives, in chunks cut anywhere; it calls back once per complete event.
 * Comment lines (": keep-alive") only count as activity.
 */
export interface StreamEvent {
  event: string;
  data: string;
  id: string | undefined;
}

export function createSseParser(onEvent: (event: StreamEvent) => void): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let skipLeadingNewline = false;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
      data = [];
      event = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return (chunk: string) => {
    buffer += chunk;
    // A CR ending one chunk may be followed by the LF of the same line ending in the next.
    if (skipLeadingNewline && buffer.startsWith('\n')) buffer = buffer.slice(1);
    skipLeadingNewline = false;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      line(buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 < buffer.length) {
          if (buffer[i + 1] === '\n') i++;
        } else {
          skipLeadingNewline = true;
        }
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };
}
