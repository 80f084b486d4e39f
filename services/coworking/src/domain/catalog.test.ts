import { coworkingEvents, findEventType } from '@hookline/events';
import { storedEvent } from '@hookline/eventsourcing/testing';
import { undescribed } from '@hookline/testkit/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  commandBodies,
  commandEvents,
  commandNames,
  commandSenders,
  commandsOf,
  coworkingAggregates,
  coworkingCommands,
  coworkingDeciders,
  coworkingEventTypes,
  coworkingStream,
  chargeStream,
  isInternalEvent,
  parseCoworkingStream,
  publishedEvents,
} from './index.js';
import {
  araujoLimaInput,
  boletoInput,
  bookingInput,
  clock,
  correspondenceInput,
  customerServiceInput,
  energyBillInput,
  givenBooking,
  givenCharge,
  givenCorrespondence,
  givenCustomer,
  givenCustomerService,
  givenExpense,
  givenLead,
  givenPerson,
  givenRecurringBooking,
  invoiceInput,
  juliana,
  leadInput,
  rafael,
  rafaelInput,
  recurringInput,
  thiago,
} from './conexa.fixtures.js';

const catalogTypes = coworkingEvents.map((definition) => definition.type);

interface Scenario {
  name: string;
  /** Runs the commands; returns the published events, as the event store keeps them. */
  run(): readonly { type: string; data: unknown; reminderRule?: string }[];
  /** The published types, in order. */
  types: string[];
}

const published = (...outcomes: { history: readonly { type: string; data: unknown }[] }[]) =>
  publishedEvents(outcomes.flatMap((outcome) => outcome.history));

/** Event-publishing scenarios: together they publish every one of the 30 catalog codes. */
const scenarios: Scenario[] = [
  {
    name: 'charge with "Outros": generated at invoicing, edited, two reminder rules, settled by Pix',
    run() {
      const at = clock();
      return published(
        givenCharge()
          .when(at(invoiceInput()))
          .when(at({ type: 'edit_charge', dueDate: '2026-12-15' }))
          .when(at({ type: 'send_reminder', ruleId: 12 }))
          .when(at({ type: 'send_reminder', ruleId: 12 }))
          .when(at({ type: 'send_reminder', ruleId: 14, currentAmount: 1440.55 }))
          .when(at({ type: 'settle_charge', source: 'pix', paidAmount: 1440.55, paymentDate: '2026-12-20' })),
      );
    },
    types: [
      'coworking.charge.generated',
      'coworking.charge.status_changed',
      'coworking.charge.reminder',
      'coworking.charge.reminder',
      'coworking.charge.settled',
    ],
  },
  {
    name: 'boleto charge: nothing at invoicing, generated with its boleto, then cancelled',
    run() {
      const at = clock();
      return published(
        givenCharge()
          .when(at(invoiceInput({ receivingMethod: 'Boleto' })))
          .when(at(boletoInput()))
          .when(at({ type: 'cancel_charge', reason: 'Cobrança emitida em duplicidade.' })),
      );
    },
    types: ['coworking.charge.generated', 'coworking.charge.status_changed'],
  },
  {
    name: 'expense recorded (nothing), then its receipt confirmed',
    run() {
      const at = clock();
      return published(
        givenExpense()
          .when(at(energyBillInput))
          .when(at({ type: 'confirm_expense_receipt' })),
      );
    },
    types: ['coworking.expense.receipt_confirmed'],
  },
  {
    name: 'customer created, edited, blocked, unblocked, deleted',
    run() {
      const at = clock();
      return published(
        givenCustomer()
          .when(at(araujoLimaInput))
          .when(at({ type: 'edit_customer', phones: ['(31) 3281-4470', '(31) 3281-4471'] }))
          .when(at({ type: 'block_customer' }))
          .when(at({ type: 'unblock_customer' }))
          .when(at({ type: 'delete_customer' })),
      );
    },
    types: [
      'coworking.customer.created',
      'coworking.customer.edited',
      'coworking.customer.blocked',
      'coworking.customer.unblocked',
      'coworking.customer.deleted',
    ],
  },
  {
    name: 'person created, edited, blocked, unblocked, deleted',
    run() {
      const at = clock();
      return published(
        givenPerson()
          .when(at(rafaelInput))
          .when(at({ type: 'edit_person', maritalStatus: 'divorced' }))
          .when(at({ type: 'block_person' }))
          .when(at({ type: 'unblock_person' }))
          .when(at({ type: 'delete_person' })),
      );
    },
    types: [
      'coworking.person.created',
      'coworking.person.edited',
      'coworking.person.blocked',
      'coworking.person.unblocked',
      'coworking.person.deleted',
    ],
  },
  {
    name: 'one-off booking created, then cancelled',
    run() {
      const at = clock();
      return published(
        givenBooking()
          .when(at(bookingInput()))
          .when(at({ type: 'cancel_booking', cancellationReason: 'Reunião remarcada pelo cliente.' })),
      );
    },
    types: ['coworking.booking.created', 'coworking.booking.cancelled'],
  },
  {
    name: 'recurring booking created',
    run() {
      return published(givenRecurringBooking().when(clock()(recurringInput)));
    },
    types: ['coworking.recurring_booking.created'],
  },
  {
    name: 'customer-service contacts: for an unblocked customer (then deleted) and for a blocked one',
    run() {
      const at = clock();
      const open = givenCustomerService()
        .when(at(customerServiceInput(false)))
        .when(at({ type: 'delete_customer_service' }));
      const blockedAt = clock();
      const blocked = givenCustomerService().when(
        blockedAt(
          customerServiceInput(true, {
            customerServiceId: 6121,
            customerId: thiago.id,
            customer: thiago,
            contactType: 'Face-to-face Visit',
          }),
        ),
      );
      return published(open, blocked);
    },
    types: [
      'coworking.customer_service.created',
      'coworking.customer_service.deleted',
      'coworking.customer_service.created_blocked_customer',
    ],
  },
  {
    name: 'correspondence: sent by e-mail then delivered in person; forwarded; for a blocked customer then deleted',
    run() {
      const at = clock();
      const first = givenCorrespondence()
        .when(at(correspondenceInput(false)))
        .when(
          at({
            type: 'send_correspondence_by_email',
            deliveryBy: juliana,
            notes: 'Correspondência digitalizada e enviada em PDF.',
          }),
        )
        .when(
          at({
            type: 'deliver_correspondence_in_person',
            deliveryBy: juliana,
            deliveredToPersonId: rafael.id,
            deliveredToPerson: rafael,
          }),
        );
      const secondAt = clock();
      const second = givenCorrespondence()
        .when(
          secondAt(
            correspondenceInput(false, { correspondenceId: 15505, sender: 'Banco Itaú S.A.', trackingCode: null }),
          ),
        )
        .when(
          secondAt({
            type: 'forward_correspondence_to_address',
            deliveryBy: juliana,
            deliveredToPersonId: rafael.id,
            deliveredToPerson: rafael,
            shippingMethod: 'Motorcycle Courier',
          }),
        );
      const thirdAt = clock();
      const third = givenCorrespondence()
        .when(
          thirdAt(
            correspondenceInput(true, {
              correspondenceId: 15504,
              customerId: thiago.id,
              customer: thiago,
              messageText: null,
            }),
          ),
        )
        .when(thirdAt({ type: 'delete_correspondence' }));
      return published(first, second, third);
    },
    types: [
      'coworking.correspondence.created',
      'coworking.correspondence.sent_by_email',
      'coworking.correspondence.delivered_in_person',
      'coworking.correspondence.created',
      'coworking.correspondence.forwarded_to_address',
      'coworking.correspondence.created_blocked_customer',
      'coworking.correspondence.deleted',
    ],
  },
  {
    name: 'lead created, edited, deleted',
    run() {
      const at = clock();
      return published(
        givenLead()
          .when(at(leadInput))
          .when(at({ type: 'edit_lead', status: 'Under Negotiation', website: 'https://beatriznogueira.com.br' }))
          .when(at({ type: 'delete_lead' })),
      );
    },
    types: ['coworking.lead.created', 'coworking.lead.edited', 'coworking.lead.deleted'],
  },
];

describe('the 30 catalog codes', () => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    expect(scenario.run().map((event) => event.type)).toEqual(scenario.types);
  });

  it('the scenarios together publish every one of the 30 coworking codes, and nothing else', () => {
    const emitted = new Set(scenarios.flatMap((scenario) => scenario.run().map((event) => event.type)));
    expect(catalogTypes).toHaveLength(30);
    expect([...emitted].sort()).toEqual([...catalogTypes].sort());
  });

  it('every published payload parses against its catalog schema, unchanged', () => {
    for (const scenario of scenarios) {
      for (const event of scenario.run()) {
        const definition = findEventType(event.type);
        expect(definition, event.type).toBeDefined();
        expect(definition?.data.parse(event.data)).toStrictEqual(event.data);
        expect(() => storedEvent(event)).not.toThrow();
      }
    }
  });

  it('the deciders know exactly the 30 catalog types', () => {
    expect([...coworkingEventTypes].sort()).toEqual([...catalogTypes].sort());
  });
});

describe('commands', () => {
  it('one schema, one body, senders and events per command, each on a known aggregate', () => {
    expect(commandNames).toHaveLength(33);
    expect(new Set(commandNames).size).toBe(33);
    expect(Object.keys(commandBodies).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(commandSenders).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(commandEvents).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(coworkingCommands).sort()).toEqual([...commandNames].sort());
    expect(coworkingAggregates.flatMap((aggregate) => commandsOf(aggregate)).sort()).toEqual([...commandNames].sort());
    for (const name of commandNames) {
      const command = coworkingCommands[name];
      expect(coworkingAggregates).toContain(command.aggregate);
      expect(command.body).toBe(commandBodies[name]);
      // the aggregate's union schema accepts the command's type
      const union = coworkingDeciders[command.aggregate].command;
      expect(union.options.map((option) => option.shape.type.value)).toContain(name);
    }
  });

  it('commandEvents names catalog events or internal ones, and covers the 30 codes', () => {
    const listed = new Set(Object.values(commandEvents).flat() as string[]);
    for (const type of listed) expect(isInternalEvent({ type }) || findEventType(type) !== undefined, type).toBe(true);
    for (const type of listed) if (isInternalEvent({ type })) expect(findEventType(type)).toBeUndefined();
    expect([...listed].filter((type) => !isInternalEvent({ type })).sort()).toEqual([...catalogTypes].sort());
  });

  it.each(commandNames.map((name) => [name] as const))('%s: every field is described', (name) => {
    const command = coworkingCommands[name];
    expect(undescribed(z.toJSONSchema(command.schema, { io: 'input' }))).toEqual([]);
    expect(undescribed(z.toJSONSchema(command.body, { io: 'input' }))).toEqual([]);
    expect(command.schema.description?.length).toBeGreaterThan(10);
  });

  it('bodies leave out what the server fills in', () => {
    const keys = (schema: z.ZodObject) => Object.keys(schema.shape).sort();
    expect(keys(commandBodies.send_reminder)).toEqual(['currentAmount', 'ruleId']);
    expect(keys(commandBodies.create_customer_service)).toEqual([
      'contactType',
      'customerId',
      'messageText',
      'requester',
    ]);
    for (const name of commandNames) {
      for (const field of [
        'type',
        'now',
        'company',
        'customer',
        'user',
        'customerBlocked',
        'chargeId',
        'chargeUrl',
        'deliveryBy',
        'deliveredToPerson',
      ]) {
        expect(Object.keys(coworkingCommands[name].body.shape), `${name}.${field}`).not.toContain(field);
      }
    }
  });

  it('bodies are strict', () => {
    expect(commandBodies.cancel_booking.safeParse({ cancellationReason: 'Cliente desistiu.', extra: 1 }).success).toBe(
      false,
    );
    expect(commandBodies.cancel_booking.parse({ cancellationReason: 'Cliente desistiu.' })).toEqual({
      cancellationReason: 'Cliente desistiu.',
    });
  });
});

describe('streams and internal events', () => {
  it('names one stream per record and parses it back', () => {
    expect(chargeStream(55120)).toBe('coworking.charge:55120');
    expect(coworkingStream('recurring_booking', 712)).toBe('coworking.recurring_booking:712');
    expect(parseCoworkingStream('coworking.customer_service:6120')).toEqual({
      aggregate: 'customer_service',
      id: 6120,
    });
    expect(parseCoworkingStream('coworking.invoice:1')).toBeNull();
    expect(parseCoworkingStream('coworking.charge:0')).toBeNull();
  });

  it('publishedEvents keeps the catalog events only', () => {
    const events = [
      { type: 'coworking.charge.reminder', data: {} },
      { type: 'internal.charge.reminder_recorded', data: {} },
    ];
    expect(publishedEvents(events).map((event) => event.type)).toEqual(['coworking.charge.reminder']);
  });
});
