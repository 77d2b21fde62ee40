// The segment builder's conditions as the page and the export send them: each becomes
// the Cube filter written here by hand, incomplete ones restrict nothing, conditions
// that cannot all hold are caught, and conditions read from a URL or a saved file are
// checked before use.
import { describe, expect, it } from 'vitest';
import {
  conditionFilter,
  contradiction,
  exportSelection,
  parseCondition,
  segmentFilters,
  type Condition,
} from '../../dashboard/src/lib/api/marketing-queries.ts';

const c = (attribute: Condition['attribute'], operator: Condition['operator'], ...values: string[]): Condition => ({ attribute, operator, values });

describe('conditions as Cube filters', () => {
  it('maps each operator to the filter a person would write', () => {
    expect(conditionFilter(c('customerType', 'in', 'business'))).toEqual({ member: 'marketing.customer_type', operator: 'equals', values: ['business'] });
    expect(conditionFilter(c('region', 'notIn', 'Uusimaa'))).toEqual({
      or: [{ member: 'marketing.region', operator: 'notEquals', values: ['Uusimaa'] }, { member: 'marketing.region', operator: 'notSet' }],
    });
    expect(conditionFilter(c('daysSinceLastPurchase', 'moreThan', '365'))).toEqual({ member: 'marketing.days_since_last_purchase', operator: 'gt', values: ['365'] });
    expect(conditionFilter(c('daysSinceLastPurchase', 'fewerThan', '30'))).toEqual({ member: 'marketing.days_since_last_purchase', operator: 'lt', values: ['30'] });
    expect(conditionFilter(c('productGroup', 'has', 'Kiukaat', 'Paljut'))).toEqual({ member: 'marketing.product_groups_bought', operator: 'contains', values: ['|Kiukaat|', '|Paljut|'] });
    expect(conditionFilter(c('surveyAnswer', 'hasNot', 'Q?: A'))).toEqual({ member: 'marketing.survey_answers', operator: 'notContains', values: ['|Q?: A|'] });
    // The management slice's classes, as of the latest month.
    expect(conditionFilter(c('relationshipNature', 'in', 'contract', 'partner'))).toEqual({ member: 'marketing.relationship_nature', operator: 'equals', values: ['contract', 'partner'] });
    expect(conditionFilter(c('careClass', 'notIn', 'D'))).toEqual({
      or: [{ member: 'marketing.care_class', operator: 'notEquals', values: ['D'] }, { member: 'marketing.care_class', operator: 'notSet' }],
    });
  });

  it('leaves out conditions with nothing chosen yet', () => {
    expect(segmentFilters([c('region', 'in'), c('customerType', 'in', 'consumer')])).toEqual([{ member: 'marketing.customer_type', operator: 'equals', values: ['consumer'] }]);
  });

  it('narrows an export to a list and its campaign', () => {
    expect(exportSelection([], 'winback').filters).toEqual([{ member: 'marketing.winback_list_winback_reason', operator: 'set' }]);
    expect(exportSelection([], 'leads', 'CA0042').filters).toEqual([{ member: 'marketing.lead_list_campaign_id', operator: 'equals', values: ['CA0042'] }]);
    expect(exportSelection([], 'reminders').filters).toEqual([{ member: 'marketing.reminder_list_send_id', operator: 'set' }]);
  });
});

describe('contradictory conditions', () => {
  it('finds them', () => {
    expect(contradiction([c('customerType', 'in', 'business'), c('customerType', 'in', 'consumer')])).toBe('customerType');
    expect(contradiction([c('region', 'in', 'Uusimaa'), c('region', 'notIn', 'Uusimaa')])).toBe('region');
    expect(contradiction([c('daysSinceLastPurchase', 'moreThan', '400'), c('daysSinceLastPurchase', 'fewerThan', '100')])).toBe('daysSinceLastPurchase');
    // More than 10 and fewer than 11 days: no whole number of days between them.
    expect(contradiction([c('daysSinceLastPurchase', 'moreThan', '10'), c('daysSinceLastPurchase', 'fewerThan', '11')])).toBe('daysSinceLastPurchase');
    expect(contradiction([c('productGroup', 'has', 'Kiukaat'), c('productGroup', 'hasNot', 'Kiukaat')])).toBe('productGroup');
    expect(contradiction([c('careClass', 'in', 'A'), c('careClass', 'in', 'B', 'C')])).toBe('careClass');
  });

  it('lets conditions that can hold together pass', () => {
    expect(contradiction([])).toBeNull();
    expect(contradiction([c('customerType', 'in', 'business', 'consumer'), c('customerType', 'in', 'consumer')])).toBeNull();
    expect(contradiction([c('region', 'in', 'Uusimaa', 'Pirkanmaa'), c('region', 'notIn', 'Uusimaa')])).toBeNull();
    expect(contradiction([c('daysSinceLastPurchase', 'moreThan', '10'), c('daysSinceLastPurchase', 'fewerThan', '12')])).toBeNull();
    expect(contradiction([c('productGroup', 'has', 'Kiukaat', 'Paljut'), c('productGroup', 'hasNot', 'Kiukaat')])).toBeNull();
    expect(contradiction([c('customerType', 'in', 'business'), c('customerType', 'in')])).toBeNull();
  });
});

describe('conditions read back', () => {
  it('keeps the ones the builder knows and drops the rest', () => {
    expect(parseCondition({ attribute: 'region', operator: 'in', values: ['Uusimaa'] })).toEqual(c('region', 'in', 'Uusimaa'));
    expect(parseCondition({ attribute: 'relationshipNature', operator: 'in', values: ['partner'] })).toEqual(c('relationshipNature', 'in', 'partner'));
    expect(parseCondition({ attribute: 'careClass', operator: 'moreThan', values: ['2'] })).toBeNull();
    expect(parseCondition({ attribute: 'valueQuadrant', operator: 'in', values: ['retain'] })).toBeNull();
    expect(parseCondition({ attribute: 'region', operator: 'moreThan', values: ['3'] })).toBeNull();
    expect(parseCondition({ attribute: 'daysSinceLastPurchase', operator: 'moreThan', values: ['soon'] })).toBeNull();
    expect(parseCondition({ attribute: 'region', operator: 'in', values: [1] })).toBeNull();
    expect(parseCondition({ attribute: 'toString', operator: 'in', values: [] })).toBeNull();
    expect(parseCondition(null)).toBeNull();
  });
});
