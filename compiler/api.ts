// The package's public API: compile an nf program in-process (compiler/compile.ts), and load and
// operate it, typed by its manifest (the control plane, compiler/deploy/client.ts).
export * from "./compile.js";
export {
  load,
  open,
  type NfHandle,
  type ClientLoadOptions,
  type TableHandle,
  type SketchHandle,
  type QueueHandle,
} from "./deploy/client.js";
export { DeployError } from "./deploy/errors.js";
