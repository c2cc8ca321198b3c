// nf as a prettier plugin: the parser is lang/syntax (chevrotain) with its comments kept aside;
// the printer is print.ts over the tree of tree.ts. Prettier attaches the comments to the nodes
// around them (every node with a role may carry them) and fails if one is not printed.
import type { AstPath, Doc, Plugin } from "prettier";
import { doc, util } from "prettier";
import { parse } from "../syntax/index.js";
import type { Comment } from "../syntax/lexer.js";
import { dangling, printNode } from "./print.js";
import { buildTree, type Role } from "./tree.js";

const { breakParent } = doc.builders;

/** Thrown by the plugin's parser when the program has syntax errors (the CLI reports them first). */
export class SyntaxErrors extends Error {}

/** Roles and child keys of every tree parsed (weak: they go with the trees). */
const tables = { role: new WeakMap<object, Role>(), keys: new WeakMap<object, string[]>() };

type Located = { span: { start: number; end: number } } | Comment;
const locStart = (n: Located): number => ("span" in n ? n.span.start : n.start);
const locEnd = (n: Located): number => ("span" in n ? n.span.end : n.end);

export const nfPlugin: Plugin = {
  languages: [{ name: "nf", parsers: ["nf"], extensions: [".nf"] }],
  parsers: {
    nf: {
      astFormat: "nf",
      locStart,
      locEnd,
      parse(text, options) {
        const file = (options as { filepath?: string }).filepath ?? "<input>.nf";
        const r = parse(text, file);
        const errors = r.diagnostics.filter((d) => d.severity === "error");
        if (r.program === undefined || errors.length > 0)
          throw new SyntaxErrors(
            `${file}: ${errors.length} syntax error(s), first ${errors[0]?.code ?? "NF1015"}`,
          );
        return buildTree(r.program, r.comments, text, tables);
      },
    },
  },
  printers: {
    nf: {
      print(path: AstPath, options, print): Doc {
        const text = options.originalText;
        const d = printNode(path, print, { text, role: (n) => tables.role.get(n) });
        const rest = dangling(path.node as object);
        return rest.length === 0 ? d : [d, " ", ...rest, breakParent];
      },
      canAttachComment: (n: object) => tables.role.has(n),
      handleComments: {
        // `{ // note` : a comment on the line of a block's `{` stays there (braced() in print.ts)
        endOfLine(c: { enclosingNode?: object; precedingNode?: object }) {
          const role = c.enclosingNode && tables.role.get(c.enclosingNode);
          if (c.precedingNode !== undefined || (role !== "block" && role !== "test" && role !== "testStmt"))
            return false;
          util.addDanglingComment(c.enclosingNode!, c, undefined);
          return true;
        },
      },
      isBlockComment: (c: Comment) => c.block,
      printComment(path: AstPath<Comment>): Doc {
        const c = path.node;
        return c.block ? c.text : c.text.trimEnd();
      },
      getVisitorKeys: (n: object) => tables.keys.get(n) ?? [],
    },
  },
};
