// Help text shared by the subcommands.

/** `Examples:` after a command's help (commander prints it below the options). */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
