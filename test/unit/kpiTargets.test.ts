import { CONFLICT_RATE_TARGETS, RESOLUTION_TIME_TARGETS_SECONDS, ratingOf } from '../../src/domain/kpiTargets';

// The field targets of PRODUCT.md: conflict rate under 10 % good, under 5 % excellent; conflicts
// resolved in under 48 h good, under 24 h excellent.

describe('ratingOf', () => {
  it.each([
    [0, 'excellent'],
    [0.0499, 'excellent'],
    [0.05, 'good'],
    [0.0999, 'good'],
    [0.1, 'needs_attention'],
    [0.3, 'needs_attention'],
    [null, 'no_data'],
  ])('rates a conflict rate of %s as %s', (rate, rating) => {
    expect(ratingOf(rate, CONFLICT_RATE_TARGETS)).toBe(rating);
  });

  it.each([
    [23 * 3600, 'excellent'],
    [24 * 3600, 'good'],
    [47.9 * 3600, 'good'],
    [48 * 3600, 'needs_attention'],
    [null, 'no_data'],
  ])('rates a median time to resolve of %s s as %s', (seconds, rating) => {
    expect(ratingOf(seconds, RESOLUTION_TIME_TARGETS_SECONDS)).toBe(rating);
  });
});
