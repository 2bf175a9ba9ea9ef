export async function seedParticipation(): Promise<void> {}
