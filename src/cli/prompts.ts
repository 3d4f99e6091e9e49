/**
 * Questions asked in a terminal. Only ever used when stdin and stdout are terminals and CI is
 * not set; tests inject their own answers through `Io.prompts`.
 */
export interface Prompts {
  select<T extends string>(message: string, choices: { value: T; name: string }[], defaultValue: T): Promise<T>;
  checkbox<T extends string>(message: string, choices: { value: T; name: string; checked: boolean }[]): Promise<T[]>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

/** Prompts backed by @inquirer/prompts, loaded only when a question is really asked. */
export const terminalPrompts: Prompts = {
  async select(message, choices, defaultValue) {
    const { select } = await import('@inquirer/prompts');
    return select({ message, choices, default: defaultValue });
  },
  async checkbox(message, choices) {
    const { checkbox } = await import('@inquirer/prompts');
    return checkbox({ message, choices });
  },
  async confirm(message, defaultValue) {
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message, default: defaultValue });
  },
};
