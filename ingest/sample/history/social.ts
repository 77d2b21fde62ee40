// The social listening tool: mentions of the company by handles such as
// "@VihainenMatti". Some handles belong to known customers (and the CRM may have the
// handle), some to nobody the company knows. Sentiment follows experience: people
// who complained write more negative posts. Some posts reply to a campaign.
import { moment } from '../calendar.ts';
import { firstNames, lastNames, mentionTexts, socialChannels } from '../finnish-data.ts';
import type { ContactRegistry, Person } from '../persons.ts';
import type { HistoryContext } from './context.ts';
import type { Campaign } from './newsletter.ts';

type Sentiment = keyof typeof mentionTexts;

export class SocialMentions {
  constructor(
    private readonly ctx: HistoryContext,
    private readonly campaigns: readonly Campaign[],
  ) {}

  forPerson(person: Person, complained: boolean): void {
    if (!person.socialHandle) return;
    const sentiments: [Sentiment, number][] = complained
      ? [['negative', 6], ['neutral', 2], ['positive', 1]]
      : person.relationshipType === 'preference' ? [['positive', 6], ['neutral', 3], ['negative', 1]] : [['positive', 4], ['neutral', 3], ['negative', 2]];
    this.mentions(person.socialHandle, person, sentiments, Math.max(0, person.joinSlot), `${person.firstName} ${person.lastName}`);
  }

  /** Handles of people who are nobody's customer record: these wait for review. */
  writeAnonymous(count: number, contacts: ContactRegistry): void {
    const { rng } = this.ctx;
    for (let i = 0; i < count; i++) {
      const first = rng.pick(firstNames);
      const last = rng.pick(lastNames);
      this.mentions(contacts.handle(rng, first, last), null, [['positive', 3], ['neutral', 3], ['negative', 3]], 0, `${first} ${last}`);
    }
  }

  private mentions(handle: string, person: Person | null, sentiments: [Sentiment, number][], firstSlot: number, realName: string): void {
    const { rng, calendar } = this.ctx;
    this.ctx.truth.handle(handle, person);
    const count = rng.int(1, 6);
    const replyable = this.campaigns.filter((c) => calendar.slotOf(c.sentAt) >= firstSlot);
    for (let m = 0; m < count; m++) {
      const sentiment = rng.weighted(sentiments);
      const campaign = replyable.length > 0 && rng.chance(0.15) ? rng.pick(replyable) : null;
      const posted = campaign
        ? calendar.notAfterEnd(calendar.addMinutes(campaign.sentAt, rng.int(30, 72 * 60)))
        : calendar.momentOn(rng, calendar.dayIn(rng, rng.int(firstSlot, calendar.months - 1)));
      if (!posted) continue;
      const shown = rng.next();
      this.ctx.emit('social.mentions', {
        mention_id: this.ctx.nextId('M', 8), channel: rng.pick(socialChannels), handle,
        author_name: shown < 0.3 ? realName : shown < 0.55 ? `${realName.split(' ')[0]} ${realName.split(' ')[1]![0]}.` : null,
        text: rng.pick(mentionTexts[sentiment]), sentiment, shares: rng.poisson(sentiment === 'negative' ? 3 : 2), comments: rng.poisson(3),
        posted_at: moment(posted), in_reply_to_campaign_id: campaign?.id ?? null,
      });
    }
  }
}
