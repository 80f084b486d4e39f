import { z } from 'zod';
import { money } from '../common.js';
import { conexaDateTime, count, email, entityId, label, phone } from './primitives.js';

/*
 * Nested objects of the Conexa events, from the document's "Tabela extra" tables and its
 * "Anexo (tabelas extras)". Each one is defined once here and imported by the events.
 */

/** Anexo "Unidade": the unit (company / location) a record belongs to; every `company` field. */
export const coworkingCompany = z
  .object({
    id: entityId.describe('Unit ID'),
    name: label.describe('Unit name'),
  })
  .describe('The unit (company / location) the record belongs to');

/**
 * "Tabela extra - Cliente (customer)", repeated as Anexo "Cliente": the customer
 * embedded in charge, booking, person, customer-service and correspondence events.
 */
export const coworkingCustomer = z
  .object({
    id: entityId.describe('Customer ID'),
    name: label.describe('Corporate name or name of the customer'),
    // Only companies have a trade name; an individual customer has none.
    tradeName: z.string().nullable().describe("Customer's trade name"),
    firstName: label.describe('First name only'),
    // A customer may be registered without a mobile number.
    cellNumber: phone.nullable().describe('Mobile phone number'),
    phones: z.array(phone).describe('All phone numbers'),
    emails: z.array(email).describe("All of the customer's e-mail addresses for messages"),
    emailsFinancialMessages: z.array(email).describe("All of the customer's e-mail addresses for financial messages"),
  })
  .describe('The customer');

/** "Tabela extra - Conta (account)": the financial account of a charge or expense. */
export const coworkingAccount = z
  .object({
    id: entityId.describe('Account ID'),
    name: label.describe('Account name'),
  })
  .describe('The financial account');

/** "Tabela extra - Venda (sale)": a sale linked to a charge (charge events' `sales`). */
export const chargeSale = z
  .object({
    id: entityId.describe('Sale ID'),
    price: money.describe('Sale amount'),
    product: label.describe("Name of the sale's product"),
    quantity: count.describe('Quantity of products in the sale'),
    referenceDate: conexaDateTime.describe('Sale date, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)'),
  })
  .describe('A sale linked to the charge');

/** Anexo "Venda": the sale of a booking (booking events' `sale`); not the same shape as `chargeSale`. */
export const bookingSale = z
  .object({
    id: entityId.describe('Sale ID'),
    value: money.describe('Sale amount'),
    seller: label.describe('Name of the seller'),
  })
  .describe('The sale of the booking');

/** "Tabela extra - Fornecedor (supplier)". */
export const expenseSupplier = z
  .object({
    id: entityId.describe('Supplier ID'),
    name: label.describe('Supplier name'),
  })
  .describe('The supplier of the expense');

/** "Tabela extra - Subcategoria de Pagamento (subcategory)". */
export const expenseSubcategory = z
  .object({
    id: entityId.describe('Subcategory ID'),
    name: label.describe('Subcategory name'),
  })
  .describe('The payment subcategory of the expense');

/** "Tabela extra - Pagamento Fixo": the recurring (fixed) payment an expense was generated from (`recurrentBill`). */
export const recurrentBill = z
  .object({
    id: entityId.describe('Fixed payment ID'),
    name: label.describe('Fixed payment name'),
  })
  .describe('The fixed (recurring) payment the expense belongs to');

/** Anexo "Local da Reserva": the room or coworking space booked (`place`). */
export const bookingPlace = z
  .object({
    id: entityId.describe('Place ID'),
    name: label.describe('Place name'),
  })
  .describe('The place booked');

/** Anexo "Pessoa": a person linked to a customer (`person`). */
export const coworkingPersonRef = z
  .object({
    id: entityId.describe('Person ID'),
    name: label.describe("Person's name"),
  })
  .describe('The person');

/** Anexo "Contrato": the contract a recurring booking belongs to (`contract`). */
export const contractRef = z
  .object({
    id: entityId.describe('Contract ID'),
    namePlan: label.describe("Name of the contract's plan"),
  })
  .describe('The contract');

/** Anexo "Dados Estrangeiros de Pessoa": a foreign person's document and address (`foreignData`). */
export const personForeignData = z
  .object({
    id: entityId.describe('Foreign data ID'),
    document: label.describe('Number of some identity document, e.g. a passport'),
    country: label.describe("Person's country"),
    city: z.string().describe("Person's city"),
    state: z.string().describe("Person's state"),
    street: z.string().describe("Person's street"),
    number: z.string().describe("Person's address number"),
    additionalDetails: z.string().describe("Additional details of the person's address"),
    neighborhood: z.string().describe("Person's neighborhood"),
    zipcode: z.string().describe("CEP or postal code of the person's address"),
  })
  .describe("A foreign person's data");

/**
 * Anexo "Solicitante": who asked for a customer-service contact (`requester`).
 * The document's e-mail row has no field name (`| string | E-mail do Solicitante |`);
 * it is `email` here, see deviations.ts.
 */
export const customerServiceRequester = z
  .object({
    name: label.describe("Requester's name"),
    phones: z.array(phone).describe("Requester's phone numbers"),
    // A requester who calls or visits need not leave an e-mail address or a company.
    email: email.nullable().describe("Requester's e-mail address"),
    company: z.string().nullable().describe("Name of the requester's company"),
  })
  .describe('The requester of the customer-service contact');

/** Anexo "Usuário": the Conexa user who registered the record (`user`). */
export const conexaUser = z
  .object({
    id: entityId.describe('User ID'),
    name: label.describe("User's name"),
  })
  .describe('The Conexa user');

/** "Tabela extra - Entregue por (deliveryBy)": the user who delivered a correspondence. */
export const correspondenceDeliveredBy = z
  .object({
    id: entityId.describe('ID of the user who made the delivery'),
    name: label.describe('Name of the user who made the delivery'),
  })
  .describe('The user who made the delivery');

/** "Tabela extra - Entregue para (delivertoPerson)": the person who received a correspondence (`deliveredToPerson`). */
export const correspondenceDeliveredTo = z
  .object({
    id: entityId.describe('ID of the person who received it'),
    name: label.describe('Name of the person who received it'),
  })
  .describe('The person who received the correspondence');

/** "Tabela extra - Informações da Entrega por E-mail (deliveryInformationByEmail)". */
export const emailDeliveryInformation = z
  .object({
    recipients: z.array(email).min(1).describe('List of recipients'),
    date: conexaDateTime.describe('Date it was sent, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)'),
  })
  .describe('How the correspondence was sent by e-mail');

/** "Tabela extra - Parceiro (partner)": the partner who referred a lead. */
export const leadPartner = z
  .object({
    id: entityId.describe('Partner ID'),
    name: label.describe('Partner name'),
  })
  .describe('The partner');

/** "Tabela extra - Ramo de Atividade (fieldOfActivity)". */
export const leadFieldOfActivity = z
  .object({
    id: entityId.describe('Field of activity ID'),
    name: label.describe('Field of activity name'),
  })
  .describe('A field of activity');

/** "Tabela extra - Forma de Contato (contactMethod)". */
export const leadContactMethod = z
  .object({
    id: entityId.describe('Contact method ID'),
    name: label.describe('Contact method name'),
  })
  .describe('A contact method');

/** "Tabela extra - Serviços de Interesse (interestServices)". */
export const leadInterestService = z
  .object({
    id: entityId.describe('Service of interest ID'),
    name: label.describe('Service of interest name'),
  })
  .describe('A service of interest');
