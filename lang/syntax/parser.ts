// The nf grammar as a chevrotain CstParser. Grammar only: no AST building, no diagnostics (see
// to-ast.ts and errors.ts). Recovery is on; `junk` rules absorb tokens that cannot start a
// declaration/statement so one mistake does not end the parse. Struct literals need `T { f :`
// (a gate looking 4 tokens ahead), so `if x { ... }` never reads `x {` as a literal. See CONTEXT.md for the EBNF.
import type {
  CstNode,
  CstParser as ChevrotainParser,
  IParserErrorMessageProvider,
  TokenType,
} from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import * as T from "./tokens.js";

/** Errors carry structured JSON in `message`; errors.ts turns them into coded diagnostics. */
const jsonMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: (o) =>
    JSON.stringify({ k: "mismatch", expected: o.expected.name, rule: o.ruleName }),
  buildNotAllInputParsedMessage: (o) => JSON.stringify({ k: "rest", rule: o.ruleName }),
  buildNoViableAltMessage: (o) => JSON.stringify({ k: "noalt", rule: o.ruleName }),
  buildEarlyExitMessage: (o) => JSON.stringify({ k: "early", rule: o.ruleName }),
};

/** Tokens that start a declaration: a block or a test block stops before them. */
export const DECL_START: ReadonlySet<TokenType> = new Set<TokenType>([
  T.Nf,
  T.Const,
  T.Config,
  T.Type,
  T.Header,
  T.Parse,
  T.Table,
  T.Sketch,
  T.Queue,
  T.Counter,
  T.On,
  T.Test,
  T.Event,
]);
const STMT_START = new Set<TokenType>([
  T.Let,
  T.Var,
  T.If,
  T.Match,
  T.For,
  T.Repeat,
  T.Break,
  T.Pass,
  T.Drop,
  T.Tx,
  T.Redirect,
  T.Emit,
  T.Semicolon,
  T.Identifier,
  T.IntLit,
  T.DecimalLit,
  T.Ip4Lit,
  T.Ip6Lit,
  T.MacLit,
  T.StringTok,
  T.UnterminatedString,
  T.True,
  T.False,
  T.LParen,
  T.Bang,
  T.Tilde,
  T.Minus,
]);

/** The parser class, defined once chevrotain is loaded (chevrotain.ts): well-formed programs never
 *  need it (wellformed.ts). */
function defineParser(CstParser: typeof ChevrotainParser) {
  return class NfParser extends CstParser {
    /** `validate`: chevrotain's grammar checks (~90 ms at every start); parse.test.ts runs them,
     *  the shared instance below skips them. */
    constructor(validate = false) {
      super(T.allTokens, {
        skipValidations: !validate,
        recoveryEnabled: true,
        maxLookahead: 1,
        nodeLocationTracking: "onlyOffset",
        errorMessageProvider: jsonMessages,
      });
      this.performSelfAnalysis();
    }

    /**
     * Re-sync to the innermost rule that can continue. Chevrotain searches the follow sets of the
     * rule stack outermost first; with the `junk` rules (whose first set is AnyTok) the block or
     * file level would then always win and an error inside `f(a +, b)` would discard the call.
     * Searching innermost first lets `f(...)` recover at the `,`. (Overrides a chevrotain internal.)
     */
    flattenFollowSet(): TokenType[] {
      const self = this as unknown as {
        buildFullFollowKeyStack(): unknown[];
        getFollowSetFromFollowKey(k: unknown): TokenType[] | undefined;
      };
      return self
        .buildFullFollowKeyStack()
        .reverse()
        .flatMap((k) => self.getFollowSetFromFollowKey(k) ?? []);
    }

    // ---------- top level ----------
    program = this.RULE("program", () => {
      this.MANY(() => this.SUBRULE(this.topItem));
    });

    topItem = this.RULE("topItem", () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.nfHeader) },
        { ALT: () => this.SUBRULE(this.constDecl) },
        { ALT: () => this.SUBRULE(this.typeDecl) },
        { ALT: () => this.SUBRULE(this.parseDecl) },
        { ALT: () => this.SUBRULE(this.stateDecl) },
        { ALT: () => this.SUBRULE(this.counterDecl) },
        { ALT: () => this.SUBRULE(this.handlerDecl) },
        { ALT: () => this.SUBRULE(this.testDecl) },
        { ALT: () => this.CONSUME(T.Semicolon) },
        { ALT: () => this.SUBRULE(this.junkTop), IGNORE_AMBIGUITIES: true },
      ]);
    });

    /** Tokens that cannot start a declaration, up to the next one that can (NF1014). */
    junkTop = this.RULE("junkTop", () => {
      this.CONSUME(T.AnyTok);
      this.MANY({ GATE: () => !DECL_START.has(this.LA(1).tokenType), DEF: () => this.CONSUME2(T.AnyTok) });
    });

    nfHeader = this.RULE("nfHeader", () => {
      this.CONSUME(T.Nf);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.On);
      this.SUBRULE(this.hook);
    });

    hook = this.RULE("hook", () => {
      this.OR([
        { ALT: () => this.CONSUME(T.Xdp) },
        {
          ALT: () => {
            this.CONSUME(T.Tc);
            this.OPTION(() =>
              this.OR2([{ ALT: () => this.CONSUME(T.Ingress) }, { ALT: () => this.CONSUME(T.Egress) }]),
            );
          },
        },
        { ALT: () => this.CONSUME(T.Identifier) },
      ]);
    });

    /** `const` and `config` share a shape. */
    constDecl = this.RULE("constDecl", () => {
      this.OR([{ ALT: () => this.CONSUME(T.Const) }, { ALT: () => this.CONSUME(T.Config) }]);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expr);
    });

    /** `type`, `header` and `event` share a shape; commas between fields are optional. */
    typeDecl = this.RULE("typeDecl", () => {
      this.OR([
        { ALT: () => this.CONSUME(T.Type) },
        { ALT: () => this.CONSUME(T.Header) },
        { ALT: () => this.CONSUME(T.Event) },
      ]);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.LCurly);
      this.MANY(() => {
        this.SUBRULE(this.fieldDecl);
        this.OPTION(() => this.CONSUME(T.Comma));
      });
      this.CONSUME(T.RCurly);
    });

    fieldDecl = this.RULE("fieldDecl", () => {
      this.CONSUME(T.FieldName);
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });

    parseDecl = this.RULE("parseDecl", () => {
      this.CONSUME(T.Parse);
      this.CONSUME(T.Identifier, { LABEL: "after" });
      this.CONSUME(T.Dot);
      this.CONSUME2(T.FieldName, { LABEL: "field" });
      this.CONSUME(T.EqEq);
      this.SUBRULE(this.expr);
      this.CONSUME(T.FatArrow);
      this.CONSUME3(T.Identifier, { LABEL: "header" });
    });

    stateDecl = this.RULE("stateDecl", () => {
      this.OR([
        { ALT: () => this.CONSUME(T.Table) },
        { ALT: () => this.CONSUME(T.Sketch) },
        { ALT: () => this.CONSUME(T.Queue) },
      ]);
      this.CONSUME(T.Identifier, { LABEL: "name" });
      this.CONSUME(T.Colon);
      this.CONSUME2(T.Identifier, { LABEL: "blockKind" });
      this.OPTION(() => {
        this.CONSUME(T.Lt);
        this.SUBRULE(this.typeExpr);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.typeExpr);
        });
        this.CONSUME(T.Gt);
      });
      this.OPTION2(() => {
        this.CONSUME(T.LParen);
        this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.stateArg) });
        this.CONSUME(T.RParen);
      });
    });

    stateArg = this.RULE("stateArg", () => {
      this.CONSUME(T.Identifier);
      this.OPTION(() => {
        this.CONSUME(T.Eq);
        this.SUBRULE(this.expr);
      });
    });

    counterDecl = this.RULE("counterDecl", () => {
      this.CONSUME(T.Counter);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
    });

    handlerDecl = this.RULE("handlerDecl", () => {
      this.CONSUME(T.On);
      this.OR([{ ALT: () => this.CONSUME(T.Packet) }, { ALT: () => this.CONSUME(T.Identifier) }]);
      this.SUBRULE(this.block);
    });

    // ---------- user tests ----------
    testDecl = this.RULE("testDecl", () => {
      this.CONSUME(T.Test);
      this.CONSUME(T.StringLit);
      this.SUBRULE(this.testBlock);
    });

    testBlock = this.RULE("testBlock", () => {
      this.CONSUME(T.LCurly);
      this.MANY({
        GATE: () => {
          const t = this.LA(1).tokenType;
          return t !== T.RCurly && (t === T.Config || !DECL_START.has(t));
        },
        DEF: () => this.SUBRULE(this.testStmt),
      });
      this.CONSUME(T.RCurly);
    });

    /** `config N = e`, `entry T[k] = v`, `packet e (=> verdict)?`, `repeat N { }`, `expect e`.
     *  `entry` and `expect` are plain names: the word is checked in to-ast (NF1022). */
    testStmt = this.RULE("testStmt", () => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Config);
            this.CONSUME(T.Identifier);
            this.CONSUME(T.Eq);
            this.SUBRULE(this.expr);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Packet);
            this.SUBRULE2(this.expr, { LABEL: "packet" });
            this.OPTION(() => {
              this.CONSUME(T.FatArrow);
              this.SUBRULE(this.testVerdict);
              // `=> tx as eth(...) / ipv4(ttl = 63) / ...`: the expected output packet
              this.OPTION2(() => {
                this.CONSUME(T.As);
                this.SUBRULE7(this.expr, { LABEL: "output" });
              });
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Repeat);
            this.SUBRULE3(this.expr, { LABEL: "count" });
            this.SUBRULE(this.testBlock);
          },
        },
        { ALT: () => this.CONSUME(T.Semicolon) },
        {
          GATE: () => this.LA(1).image === "expect" && this.LA(2).tokenType === T.Event,
          ALT: () => {
            this.CONSUME5(T.Identifier, { LABEL: "word" });
            this.CONSUME(T.Event);
            this.CONSUME6(T.Identifier, { LABEL: "event" });
            this.SUBRULE(this.emitFields);
          },
          IGNORE_AMBIGUITIES: true,
        },
        {
          GATE: () => this.LA(1).image === "entry" && this.LA(3).tokenType === T.LBracket,
          ALT: () => {
            this.CONSUME2(T.Identifier, { LABEL: "word" });
            this.CONSUME3(T.Identifier, { LABEL: "table" });
            this.CONSUME(T.LBracket);
            this.SUBRULE4(this.expr, { LABEL: "key" });
            this.CONSUME(T.RBracket);
            this.CONSUME2(T.Eq);
            this.SUBRULE5(this.expr, { LABEL: "value" });
          },
          IGNORE_AMBIGUITIES: true,
        },
        {
          ALT: () => {
            this.CONSUME4(T.Identifier, { LABEL: "word" });
            this.SUBRULE6(this.expr, { LABEL: "body" });
          },
          IGNORE_AMBIGUITIES: true,
        },
      ]);
    });

    testVerdict = this.RULE("testVerdict", () => {
      this.OR([
        { ALT: () => this.CONSUME(T.Pass) },
        { ALT: () => this.CONSUME(T.Drop) },
        { ALT: () => this.CONSUME(T.Tx) },
        { ALT: () => this.SUBRULE(this.redirectStmt) },
      ]);
    });

    // ---------- types ----------
    typeExpr = this.RULE("typeExpr", () => {
      this.CONSUME(T.Identifier);
      this.OPTION(() => {
        this.CONSUME(T.LBracket);
        this.SUBRULE(this.expr);
        this.CONSUME(T.RBracket);
      });
    });

    // ---------- statements ----------
    /** Stops at `}` and at declaration keywords, so a missing `}` is reported before `table ...`. */
    block = this.RULE("block", () => {
      this.CONSUME(T.LCurly);
      this.MANY({
        GATE: () => this.LA(1).tokenType !== T.RCurly && !DECL_START.has(this.LA(1).tokenType),
        DEF: () => this.SUBRULE(this.stmt),
      });
      this.CONSUME(T.RCurly);
    });

    stmt = this.RULE("stmt", () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.letStmt) },
        { ALT: () => this.SUBRULE(this.varStmt) },
        { ALT: () => this.SUBRULE(this.ifStmt) },
        { ALT: () => this.SUBRULE(this.matchStmt) },
        { ALT: () => this.SUBRULE(this.forStmt) },
        { ALT: () => this.SUBRULE(this.repeatStmt) },
        { ALT: () => this.CONSUME(T.Break) },
        { ALT: () => this.CONSUME(T.Pass) },
        { ALT: () => this.CONSUME(T.Drop) },
        { ALT: () => this.CONSUME(T.Tx) },
        { ALT: () => this.SUBRULE(this.redirectStmt) },
        { ALT: () => this.SUBRULE(this.emitStmt) },
        { ALT: () => this.CONSUME(T.Semicolon) },
        { ALT: () => this.SUBRULE(this.exprStmt) },
        { ALT: () => this.SUBRULE(this.junkStmt), IGNORE_AMBIGUITIES: true },
      ]);
    });

    /** Tokens that cannot start a statement, up to one that can, `}` or a declaration (NF1013). */
    junkStmt = this.RULE("junkStmt", () => {
      this.CONSUME(T.AnyTok);
      this.MANY({
        GATE: () => {
          const t = this.LA(1).tokenType;
          return !STMT_START.has(t) && !DECL_START.has(t) && t !== T.RCurly && t !== T.LCurly;
        },
        DEF: () => this.CONSUME2(T.AnyTok),
      });
    });

    letStmt = this.RULE("letStmt", () => {
      this.CONSUME(T.Let);
      this.CONSUME(T.Identifier);
      this.OPTION(() => {
        this.CONSUME(T.Colon);
        this.SUBRULE(this.typeExpr);
      });
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expr);
      this.OPTION2(() => {
        this.CONSUME(T.Else);
        this.SUBRULE(this.elseBranch);
      });
    });

    varStmt = this.RULE("varStmt", () => {
      this.CONSUME(T.Var);
      this.CONSUME(T.Identifier);
      this.OPTION(() => {
        this.CONSUME(T.Colon);
        this.SUBRULE(this.typeExpr);
      });
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expr);
    });

    ifStmt = this.RULE("ifStmt", () => {
      this.CONSUME(T.If);
      this.SUBRULE(this.cond);
      this.SUBRULE(this.block);
      this.OPTION(() => {
        this.CONSUME(T.Else);
        this.SUBRULE(this.elseBranch);
      });
    });

    /** After `else` (in `if` and `let ... else`): a block or an `if`. An OR, not CONSUME(`{`), so
     *  `else pass` is reported once (NF1018) instead of recovering by inserting a phantom `{`. */
    elseBranch = this.RULE("elseBranch", () => {
      this.OR([{ ALT: () => this.SUBRULE(this.ifStmt) }, { ALT: () => this.SUBRULE(this.block) }]);
    });

    cond = this.RULE("cond", () => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Let);
            this.CONSUME(T.Identifier);
            this.CONSUME(T.Eq);
            this.SUBRULE(this.expr);
          },
        },
        { ALT: () => this.SUBRULE2(this.expr) },
      ]);
    });

    matchStmt = this.RULE("matchStmt", () => {
      this.CONSUME(T.Match);
      this.SUBRULE(this.expr);
      this.CONSUME(T.LCurly);
      this.MANY(() => this.SUBRULE(this.matchArm));
      this.CONSUME(T.RCurly);
    });

    matchArm = this.RULE("matchArm", () => {
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.pattern) });
      this.CONSUME(T.FatArrow);
      this.SUBRULE(this.block);
      this.OPTION(() => this.CONSUME(T.Comma));
    });

    pattern = this.RULE("pattern", () => {
      this.OR([
        { ALT: () => this.CONSUME(T.Underscore) },
        {
          ALT: () => {
            this.SUBRULE(this.expr, { LABEL: "lo" });
            this.OPTION(() => {
              this.CONSUME(T.DotDot);
              this.SUBRULE2(this.expr, { LABEL: "hi" });
            });
          },
        },
      ]);
    });

    forStmt = this.RULE("forStmt", () => {
      this.CONSUME(T.For);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.In);
      this.SUBRULE(this.expr, { LABEL: "lo" });
      this.CONSUME(T.DotDot);
      this.SUBRULE2(this.expr, { LABEL: "hi" });
      this.SUBRULE(this.block);
    });

    repeatStmt = this.RULE("repeatStmt", () => {
      this.CONSUME(T.Repeat);
      this.SUBRULE(this.expr);
      this.SUBRULE(this.block);
    });

    redirectStmt = this.RULE("redirectStmt", () => {
      this.CONSUME(T.Redirect);
      this.CONSUME(T.LParen);
      this.SUBRULE(this.expr);
      this.CONSUME(T.RParen);
    });

    /** `emit NAME { f = e, ... }`, optionally `every N` (`every` is a plain name: a contextual word,
     *  taken only before an integer or a constant's name that does not start a statement). */
    emitStmt = this.RULE("emitStmt", () => {
      this.CONSUME(T.Emit);
      this.CONSUME(T.Identifier, { LABEL: "event" });
      this.SUBRULE(this.emitFields);
      this.OPTION({
        GATE: () => {
          const [a, b, c] = [this.LA(1), this.LA(2), this.LA(3).tokenType];
          if (a.tokenType !== T.Identifier || a.image !== "every") return false;
          if (b.tokenType === T.IntLit) return true;
          return b.tokenType === T.Identifier && ![T.Dot, T.LParen, T.LBracket].includes(c) && !T.isAssign(c);
        },
        DEF: () => {
          this.CONSUME2(T.Identifier, { LABEL: "every" });
          this.SUBRULE(this.primary, { LABEL: "rate" });
        },
      });
    });

    /** `{ f = e, g = e }` of an `emit` or `expect event` (commas optional, like struct fields). */
    emitFields = this.RULE("emitFields", () => {
      this.CONSUME(T.LCurly);
      this.MANY(() => {
        this.SUBRULE(this.emitField);
        this.OPTION(() => this.CONSUME(T.Comma));
      });
      this.CONSUME(T.RCurly);
    });

    emitField = this.RULE("emitField", () => {
      this.CONSUME(T.FieldName, { LABEL: "Identifier" });
      this.CONSUME(T.Eq);
      this.SUBRULE(this.expr);
    });

    /** An expression, or an assignment `target op= value`. */
    exprStmt = this.RULE("exprStmt", () => {
      this.SUBRULE(this.expr, { LABEL: "target" });
      this.OPTION(() => {
        this.CONSUME(T.AssignOp);
        this.SUBRULE2(this.expr, { LABEL: "value" });
      });
    });

    // ---------- expressions (loosest first; every level labels operands/operators alike) ----------
    expr = this.RULE("expr", () => this.SUBRULE(this.orExpr));
    orExpr = this.binary("orExpr", T.OrOr, () => this.andExpr);
    andExpr = this.binary("andExpr", T.AndAnd, () => this.cmpExpr);
    cmpExpr = this.binary("cmpExpr", T.CmpOp, () => this.bitOrExpr);
    bitOrExpr = this.binary("bitOrExpr", T.Pipe, () => this.bitXorExpr);
    bitXorExpr = this.binary("bitXorExpr", T.Caret, () => this.bitAndExpr);
    bitAndExpr = this.binary("bitAndExpr", T.Amp, () => this.shiftExpr);
    shiftExpr = this.binary("shiftExpr", T.ShiftOp, () => this.addExpr);
    addExpr = this.binary("addExpr", T.AddOp, () => this.mulExpr);
    mulExpr = this.binary("mulExpr", T.MulOp, () => this.unaryExpr);

    unaryExpr = this.RULE("unaryExpr", () => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.UnaryOp, { LABEL: "op" });
            this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
          },
        },
        { ALT: () => this.SUBRULE(this.postfixExpr, { LABEL: "operand" }) },
      ]);
    });

    postfixExpr = this.RULE("postfixExpr", () => {
      this.SUBRULE(this.primary);
      this.MANY(() => this.SUBRULE(this.postfixOp));
    });

    postfixOp = this.RULE("postfixOp", () => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.FieldName);
            this.OPTION(() => this.SUBRULE(this.args));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expr);
            this.CONSUME(T.RBracket);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.As);
            this.SUBRULE(this.typeExpr);
          },
        },
      ]);
    });

    primary = this.RULE("primary", () => {
      this.OR([
        { ALT: () => this.CONSUME(T.IntLit) },
        { ALT: () => this.CONSUME(T.DecimalLit) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Ip4Lit) },
        { ALT: () => this.CONSUME(T.Ip6Lit) },
        { ALT: () => this.CONSUME(T.MacLit) },
        { ALT: () => this.CONSUME(T.StringLit) },
        {
          GATE: () =>
            this.LA(2).tokenType === T.LCurly &&
            T.isFieldName(this.LA(3).tokenType) &&
            this.LA(4).tokenType === T.Colon,
          ALT: () => this.SUBRULE(this.structLit),
          IGNORE_AMBIGUITIES: true,
        },
        {
          ALT: () => {
            this.CONSUME(T.Identifier);
            this.OPTION(() => this.SUBRULE(this.args));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expr);
            this.CONSUME(T.RParen);
          },
        },
      ]);
    });

    /** `T { a: 1, b: 2 }`: only when a name is followed by `{ FIELD :` (commas optional; a field
     *  name may be a keyword). */
    structLit = this.RULE("structLit", () => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.LCurly);
      this.AT_LEAST_ONE(() => {
        this.SUBRULE(this.structField);
        this.OPTION(() => this.CONSUME(T.Comma));
      });
      this.CONSUME(T.RCurly);
    });

    /** The field name may be a keyword, as in the type's declaration (`S { pass: 1 }`). */
    structField = this.RULE("structField", () => {
      this.CONSUME(T.FieldName, { LABEL: "Identifier" });
      this.CONSUME(T.Colon);
      this.SUBRULE(this.expr);
    });

    args = this.RULE("args", () => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) });
      this.CONSUME(T.RParen);
    });

    /** Positional `e` or named `name = e` (the name may be a keyword: `eth(type = 0x0806)`). */
    arg = this.RULE("arg", () => {
      this.OPTION({
        MAX_LOOKAHEAD: 2,
        DEF: () => {
          this.CONSUME(T.FieldName, { LABEL: "Identifier" });
          this.CONSUME(T.Eq);
        },
      });
      this.SUBRULE(this.expr);
    });

    binary(name: string, op: TokenType, next: () => (idx?: number) => unknown) {
      return this.RULE(name, () => {
        this.SUBRULE(next() as never, { LABEL: "operand" });
        this.MANY(() => {
          this.CONSUME(op, { LABEL: "op" });
          this.SUBRULE2(next() as never, { LABEL: "operand" });
        });
      });
    }
  };
}

/** What callers use: chevrotain's parser API and the entry rule. */
export type NfParser = ChevrotainParser & { program(): CstNode };
let parserClass: ReturnType<typeof defineParser> | undefined;

/** A new parser; `validate` runs chevrotain's grammar checks (parse.test.ts). */
export function newParser(validate = false): NfParser {
  parserClass ??= defineParser(chevrotain().CstParser);
  return new parserClass(validate);
}

let shared: NfParser | undefined;

/** One parser instance, reused (chevrotain parsers are stateful but resettable via `input`), built
 *  on first use: recording the grammar costs ~0.1 s, and well-formed programs never need it
 *  (wellformed.ts). */
export function sharedParser(): NfParser {
  return (shared ??= newParser());
}
