/** The chat model used when none is named: the VS Code setting rftStudio.provider.chatModel's default and `rft generate`'s. */
export const DEFAULT_CHAT_MODEL = 'gpt-4o-mini';
