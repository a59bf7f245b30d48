import { eventSubjectOf, eventTypeOf, isEventTypeIn } from '../../src/domain/eventTypes';

describe('event types of the audit trail', () => {
  it('names a first evaluation and a manager decision both registration.decided', () => {
    expect(eventTypeOf('registration', 'registration.evaluated')).toBe('registration.decided');
    expect(eventTypeOf('registration', 'registration.approved')).toBe('registration.decided');
  });

  it('keeps an action it has no name for under its kind', () => {
    expect(eventTypeOf('rollout', 'rollout.stage_opened')).toBe('rollout.stage_opened');
    expect(eventTypeOf('partner', 'merged')).toBe('partner.merged');
  });

  it('reads a directory subject as its own kind', () => {
    expect(eventSubjectOf('directory:api-key:k1')).toEqual({ kind: 'api_key', id: 'k1' });
    expect(eventSubjectOf('registration:reg-1')).toEqual({ kind: 'registration', id: 'reg-1' });
  });

  it('matches a kind wildcard', () => {
    expect(isEventTypeIn('registration.decided', ['registration.*'])).toBe(true);
    expect(isEventTypeIn('conflict.opened', ['registration.*', 'policy.effective'])).toBe(false);
  });
});
