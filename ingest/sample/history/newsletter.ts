// The newsletter tool: a campaign calendar (a monthly offer with a reminder to those who
// did not open it, a monthly newsletter, quarterly win-back offers to customers who have
// not bought in half a year, two surveys), a send per subscriber per campaign, and what
// each recipient did: delivered, opened, clicked links L1..Ln, answered the survey,
// unsubscribed or bounced. The subscriber's status follows from those events.
import { moment } from '../calendar.ts';
import { surveys } from '../finnish-data.ts';
import type { Person } from '../persons.ts';
import type { HistoryContext, OrderFacts } from './context.ts';
import type { CustomerRecords } from './customer-records.ts';

type CampaignType = 'offer' | 'newsletter' | 'reminder' | 'winback' | 'survey';

export interface Campaign {
  id: string;
  type: CampaignType;
  sentAt: Date;
  /** sent_at as written, computed once: every send of the campaign carries it. */
  sentAtText: string;
  linkCount: number;
  /** For a reminder: the offer it reminds of. */
  remindsOf?: string;
  survey?: (typeof surveys)[number];
}

export interface SubscriberOutcome {
  /** Clicked a link in an offer: a prospect who does so moves to the lead list. */
  clickedOffer: boolean;
}

const openRate = { preference: 0.5, partner: 0.4, contract: 0.35, transaction: 0.25 } as const;
const halfYearMs = 182 * 86_400_000;

export class Newsletter {
  readonly campaigns: Campaign[] = [];

  constructor(
    private readonly ctx: HistoryContext,
    private readonly records: CustomerRecords,
  ) {}

  writeCampaigns(): void {
    const { rng, calendar } = this.ctx;
    const surveySlots = [Math.floor(calendar.months / 4), Math.floor((3 * calendar.months) / 4)];
    for (let slot = 0; slot < calendar.months; slot++) {
      const { year, month } = calendar.slots[slot]!;
      const label = `${year}-${String(month + 1).padStart(2, '0')}`;
      const add = (type: CampaignType, dayOfMonth: number, name: string, subject: string, extra: Partial<Campaign> = {}): string | null => {
        const sentAt = calendar.notAfterEnd(calendar.addHours(calendar.date(slot, dayOfMonth), 9));
        if (!sentAt) return null;
        const id = this.ctx.nextId('CA', 4);
        const campaign: Campaign = { id, type, sentAt, sentAtText: moment(sentAt), linkCount: rng.int(1, 5), ...extra };
        this.campaigns.push(campaign);
        this.ctx.emit('newsletter.campaigns', { campaign_id: id, campaign_name: name, campaign_type: type, subject, sent_at: campaign.sentAtText, link_count: campaign.linkCount });
        return id;
      };
      const offer = add('offer', 5, `Tarjous ${label}`, `Kuukauden tarjous: ${rng.pick(['kiukaat', 'lauteet', 'paljut', 'saunatekstiilit', 'tarvikkeet'])} -20 %`);
      if (offer) add('reminder', 8, `Muistutus ${label}`, 'Muistutus: tarjous päättyy pian', { remindsOf: offer });
      add('newsletter', 15, `Saunauutiset ${label}`, `Saunauutiset ${label}`);
      if (slot % 3 === 1) add('winback', 20, `Win-back ${label}`, 'Meillä on ollut ikävä sinua - tässä etu paluusi kunniaksi');
      const surveyIndex = surveySlots.indexOf(slot);
      if (surveyIndex >= 0) {
        const survey = surveys[surveyIndex % surveys.length]!;
        add('survey', 25, `Kysely ${label}`, survey.question, { survey });
      }
    }
  }

  /** Sends and reactions of one subscriber, then the subscriber's row with the status they led to. */
  forSubscriber(person: Person, subscribedAt: Date, orders: OrderFacts[]): SubscriberOutcome {
    const { rng, calendar } = this.ctx;
    const subscriberId = this.ctx.nextId('S', 7);
    const undeliverable = rng.chance(0.02);
    const rate = openRate[person.relationshipType];
    const openedOffers = new Set<string>();
    let clickedOffer = false;
    let status: 'subscribed' | 'unsubscribed' | 'bounced' = 'subscribed';
    let statusChangedAt: Date | null = null;
    for (const campaign of this.campaigns) {
      if (campaign.sentAt.getTime() < subscribedAt.getTime()) continue;
      if (campaign.remindsOf && openedOffers.has(campaign.remindsOf)) continue;
      if (campaign.type === 'winback' && !this.isLapsed(orders, campaign.sentAt)) continue;
      const sendId = this.ctx.nextId('SE', 10);
      this.ctx.emit('newsletter.sends', { send_id: sendId, campaign_id: campaign.id, subscriber_id: subscriberId, sent_at: campaign.sentAtText });
      // An address that no longer exists bounces at the first send; the tool stops sending to it.
      if (undeliverable || rng.chance(0.005)) {
        this.event(sendId, 'bounced', campaign.sentAt);
        if (undeliverable) {
          status = 'bounced';
          statusChangedAt = campaign.sentAt;
          break;
        }
        continue;
      }
      this.event(sendId, 'delivered', campaign.sentAt);
      const opened = rng.chance(rate) ? calendar.notAfterEnd(calendar.addMinutes(campaign.sentAt, rng.int(5, 72 * 60))) : null;
      if (!opened) continue;
      this.event(sendId, 'opened', opened);
      if (campaign.type === 'offer') openedOffers.add(campaign.id);
      if (rng.chance(campaign.type === 'offer' || campaign.type === 'winback' ? 0.4 : 0.25)) {
        const clicks = rng.int(1, campaign.linkCount);
        for (let k = 0; k < clicks; k++) this.event(sendId, 'clicked', calendar.addMinutes(opened, rng.int(0, 10)), `L${rng.int(1, campaign.linkCount)}`);
        if (campaign.type === 'offer') clickedOffer = true;
      }
      if (campaign.survey && rng.chance(0.4)) {
        this.ctx.emit('newsletter.survey_answers', {
          answer_id: this.ctx.nextId('SA', 8), campaign_id: campaign.id, subscriber_id: subscriberId, question: campaign.survey.question,
          answer: rng.pick(campaign.survey.answers), answered_at: moment(calendar.addMinutes(opened, rng.int(1, 30))),
        });
      }
      if (rng.chance(0.004)) {
        statusChangedAt = calendar.addMinutes(opened, rng.int(1, 20));
        this.event(sendId, 'unsubscribed', statusChangedAt);
        status = 'unsubscribed';
        break;
      }
    }
    const updatedAt = statusChangedAt ?? calendar.momentOn(rng, calendar.clampDay(calendar.addDays(subscribedAt, rng.int(0, 400))));
    this.records.newsletterSubscriber(person, subscriberId, status, subscribedAt, updatedAt);
    return { clickedOffer };
  }

  /** A customer who has bought before but not in the last half year gets the win-back offer. */
  private isLapsed(orders: OrderFacts[], at: Date): boolean {
    let bought = false;
    for (const order of orders) {
      if (order.orderedOn.getTime() >= at.getTime()) break;
      bought = true;
      if (at.getTime() - order.orderedOn.getTime() < halfYearMs) return false;
    }
    return bought;
  }

  private event(sendId: string, type: string, at: Date, linkId: string | null = null): void {
    this.ctx.emit('newsletter.events', { event_id: this.ctx.nextId('EV', 11), send_id: sendId, event_type: type, link_id: linkId, occurred_at: moment(at) });
  }
}
