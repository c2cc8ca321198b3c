// Interpreter semantics per structure kind that plugs in through KindStore (../kinds.ts): one
// file per kind here, one line per kind in STORES, keyed by the lang/blocks registry name.
import type { StoreFactory } from "../kinds.js";

export const STORES: Readonly<Record<string, StoreFactory>> = {
};
