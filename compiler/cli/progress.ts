// Progress lines for long work (bench rounds): shown on a terminal only, rewritten in place with
// `\r`, and erased when the work ends, so pipes and CI logs get exactly the results and nothing
// else. One writer per stream; `done()` must be called before the stream is written to otherwise.

export interface Progress {
  /** Replaces the current progress line (a no-op when the stream is not a terminal). */
  update(text: string): void;
  /** Erases the progress line. */
  done(): void;
}

interface TtyLike {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export function progress(stream: TtyLike = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let shown = false;
  const width = Math.max(20, (stream.columns ?? 80) - 1);
  return {
    update(text) {
      stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
