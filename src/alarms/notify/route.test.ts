import { describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../../core/index.js';
import { pagedUsers, topicsFor } from './route.js';

const event = (type: string, data: Record<string, unknown>): SlipwayEvent => ({ seq: 1, timeMs: 0, type, subject: 'incident/1', data });
const ALL = ['oncall', 'carol-pager', 'deploys'];

describe('topicsFor', () => {
  const cases: { name: string; e: SlipwayEvent; topics: string[]; users: string[] }[] = [
    { name: 'a page goes only to the topics it names (known ones)', e: event('incident.paged', { topics: ['carol-pager', 'gone'], users: ['alice'] }), topics: ['carol-pager'], users: ['alice'] },
    { name: 'an escalation likewise', e: event('incident.escalated', { topics: [], users: ['carol'] }), topics: [], users: ['carol'] },
    { name: 'a page with a malformed list goes nowhere', e: event('incident.paged', { topics: 'oncall', users: [1] }), topics: [], users: [] },
    { name: 'other incident events go to every topic and name no user', e: event('incident.opened', { users: ['alice'] }), topics: ALL, users: [] },
    { name: 'an alarm goes to its notify topics', e: event('alarm.state.changed', { notify: ['oncall'] }), topics: ['oncall'], users: [] },
  ];
  it.each(cases)('$name', ({ e, topics, users }) => {
    // GIVEN an event WHEN routed THEN these topics and users' own contacts receive it
    expect(topicsFor(e, ALL)).toEqual(topics);
    expect(pagedUsers(e)).toEqual(users);
  });
});
