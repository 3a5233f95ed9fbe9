import { editDistance, nearMisses } from '../../src/azure/templates';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('stops early once the limit is exceeded', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 3)).toBe(4);
  });
});

describe('nearMisses', () => {
  const names = ['win2022-base', 'win2019-base', 'ubuntu2204-cis', 'ubuntu2204-cis', 'rhel9', 'windows-gallery-timeout'];

  it('orders by distance and drops duplicates', () => {
    expect(nearMisses('win2022-bse', names)).toEqual(['win2022-base', 'win2019-base']);
  });

  it('is case-insensitive', () => {
    expect(nearMisses('WIN2022-BASEX', names)[0]).toBe('win2022-base');
  });

  it('includes names the query is a prefix of, after closer edits', () => {
    expect(nearMisses('ubuntu', names)).toEqual(['ubuntu2204-cis']);
    expect(nearMisses('windows', names)).toEqual(['windows-gallery-timeout']);
  });

  it('returns nothing for unrelated names', () => {
    expect(nearMisses('zzzzzz', names)).toEqual([]);
  });
});
