import { InvalidValueError } from '../shared/domain-error';
import { CONTACT_CATEGORIES, parseContactCategories } from './contact-category';

describe('parseContactCategories', () => {
  it('refuses anything but a list', () => {
    expect(() => parseContactCategories('billing' as never)).toThrow(
      expect.objectContaining({ field: 'categories', message: 'categories must be a list' }) as Error,
    );
  });

  it('keeps known categories once, in canonical order', () => {
    expect(CONTACT_CATEGORIES).toEqual(['billing', 'technical', 'commercial']);
    expect(parseContactCategories(['commercial', 'billing', 'commercial'])).toEqual([
      'billing',
      'commercial',
    ]);
  });

  it.each([[[]], [['sales']], [['billing', 'sales']]])('refuses %j', (input) => {
    expect(() => parseContactCategories(input)).toThrow(
      new InvalidValueError('categories', 'categories must be one or more of billing, technical, commercial'),
    );
    expect(() => parseContactCategories(input)).toThrow(
      expect.objectContaining({ field: 'categories' }) as Error,
    );
  });
});
