import { personName } from './personName';

describe('personName', () => {
  it('reads a user ref as its name, with the namespace only when it is not the default', () => {
    expect(personName('user:default/guest')).toBe('guest');
    expect(personName('user:team-a/sam')).toBe('team-a/sam');
    expect(personName('User:default/Guest')).toBe('Guest');
  });

  it('leaves anything else as it is', () => {
    expect(personName('guest')).toBe('guest');
    expect(personName('group:default/team-a')).toBe('group:default/team-a');
    expect(personName('plugin:istio-rollouts')).toBe('plugin:istio-rollouts');
  });
});
