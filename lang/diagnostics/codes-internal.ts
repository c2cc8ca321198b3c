import { entry } from "./diagnostic.js";

export const internalCodes = {
  NF9999: entry<{ what: string }>({
    title: "internal compiler error",
    message: (p) => `internal compiler error: ${p.what}`,
    help: () =>
      "this is a bug in nfc, not in your program; please report it with the source that triggered it",
    explain: "nfc hit a state it believes impossible. The program may be fine; the compiler is not.",
  }),
};
