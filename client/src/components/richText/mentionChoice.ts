/** One line of the picker: a person, or everyone. */
export type MentionChoice = { userId: string; name: string; detail: string };
