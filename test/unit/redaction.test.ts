import { withoutOtherParties } from '../../src/domain/redaction';

describe("keeping other parties out of a manager's reason", () => {
  const others = [{ partnerId: 'fabrikam', partnerName: 'Fabrikam Systems', registrationId: 'reg-0123456789abcdef' }];

  it('blanks the other party by id, by name and by registration, in any case', () => {
    expect(withoutOtherParties('Fabrikam ran the workshop', others)).toBe('[another party] ran the workshop');
    expect(withoutOtherParties('FABRIKAM SYSTEMS holds the NDA', others)).toBe('[another party] holds the NDA');
    expect(withoutOtherParties('see reg-0123456789abcdef', others)).toBe('see [another party]');
  });

  it('leaves words that merely contain a name alone, and text without names unchanged', () => {
    expect(withoutOtherParties('prefabrikamated parts', others)).toBe('prefabrikamated parts');
    expect(withoutOtherParties('first to register wins', others)).toBe('first to register wins');
  });
});
