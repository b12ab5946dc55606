import {
  BUSINESS_TIME_ZONE,
  type IncidentImpact,
  type InvoiceLine,
  type LocalDate,
  type ReactivatedBy,
  type StaffTicketStatus,
  type SuspensionReason,
  type TicketAuthor,
  type TicketCloseReason,
  type TicketCloser,
  type TicketDepartment,
  type TicketPriority,
} from '@app/domain';

/**
 * The Portuguese texts of the notifications. They name the ticket, invoice or service and say what happened; they
 * never copy what a person wrote (a ticket's message, a staff note), which may hold a password, nor anything of a
 * payment method: the customer reads the rest in the Área do Cliente.
 */
export type MessageText = Readonly<{ subject: string; body: string }>;

const SIGNATURE = '\n\nAcesse a Área do Cliente para ver os detalhes.\n\n— Equipe de atendimento';

/** `R$ 1.234,56` from integer cents. */
export const formatBrl = (cents: number): string => {
  const reais = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `R$ ${reais},${String(cents % 100).padStart(2, '0')}`;
};

/** `31/03/2026` from a `YYYY-MM-DD` date (already a Sao Paulo calendar day). */
export const formatDate = (date: LocalDate): string => {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
};

const saoPaulo = new Intl.DateTimeFormat('en-US', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `01/03/2026 às 09:30 (horário de Brasília)` from a UTC instant. */
export const formatInstant = (instant: string): string => {
  const parts = Object.fromEntries(
    saoPaulo.formatToParts(Date.parse(instant)).map((part) => [part.type, part.value]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;
  return `${parts.day}/${parts.month}/${parts.year} às ${parts.hour}:${parts.minute} (horário de Brasília)`;
};

const DEPARTMENTS: Record<TicketDepartment, string> = {
  technical: 'Suporte técnico',
  billing: 'Financeiro',
  sales: 'Comercial',
};

const PRIORITIES: Record<TicketPriority, string> = { low: 'baixa', medium: 'média', high: 'alta' };

const STAFF_STATUSES: Record<StaffTicketStatus, string> = {
  in_progress: 'em andamento',
  on_hold: 'em espera',
};

const SUSPENSION_REASONS: Record<SuspensionReason, string> = {
  non_payment: 'falta de pagamento',
  abuse: 'uso abusivo',
  terms_of_service: 'violação dos termos de serviço',
  parent_suspended: 'suspensão do serviço principal',
  other: 'decisão administrativa',
};

const REACTIVATIONS: Record<ReactivatedBy, string> = {
  payment: 'O pagamento foi confirmado e o serviço voltou a funcionar normalmente.',
  parent: 'O serviço principal foi reativado, e este voltou a funcionar com ele.',
  staff: 'Nossa equipe reativou o serviço.',
};

const IMPACTS: Record<IncidentImpact, string> = {
  degraded: 'funcionamento degradado (lentidão ou falhas parciais)',
  outage: 'indisponibilidade',
};

export type TicketMention = Readonly<{ ticketId: string; subject: string }>;

const ticketTitle = ({ ticketId, subject }: TicketMention) => `Chamado #${ticketId} "${subject}"`;

export const ticketOpenedText = (
  ticket: TicketMention & { department: TicketDepartment; priority: TicketPriority; at: string },
): MessageText => ({
  subject: `Chamado #${ticket.ticketId} aberto: ${ticket.subject}`,
  body:
    `Recebemos o ${ticketTitle(ticket)} em ${formatInstant(ticket.at)}, ` +
    `no departamento ${DEPARTMENTS[ticket.department]}, com prioridade ${PRIORITIES[ticket.priority]}. ` +
    `Nossa equipe responderá em breve.` +
    SIGNATURE,
});

export const ticketRepliedText = (
  ticket: TicketMention & { author: TicketAuthor; at: string },
): MessageText => ({
  subject: `Nova resposta no chamado #${ticket.ticketId}: ${ticket.subject}`,
  body:
    (ticket.author.kind === 'staff'
      ? `Nossa equipe respondeu ao ${ticketTitle(ticket)} em ${formatInstant(ticket.at)}.`
      : `Uma nova mensagem do cliente foi adicionada ao ${ticketTitle(ticket)} em ${formatInstant(ticket.at)}.`) +
    SIGNATURE,
});

export const ticketStatusChangedText = (
  ticket: TicketMention & { status: StaffTicketStatus; at: string },
): MessageText => ({
  subject: `Chamado #${ticket.ticketId} ${STAFF_STATUSES[ticket.status]}: ${ticket.subject}`,
  body:
    `O ${ticketTitle(ticket)} está ${STAFF_STATUSES[ticket.status]} desde ${formatInstant(ticket.at)}.` +
    SIGNATURE,
});

export const ticketClosedText = (
  ticket: TicketMention & { by: TicketCloser; reason: TicketCloseReason; at: string },
): MessageText => ({
  subject: `Chamado #${ticket.ticketId} fechado: ${ticket.subject}`,
  body:
    (ticket.reason === 'idle'
      ? `O ${ticketTitle(ticket)} foi fechado automaticamente em ${formatInstant(ticket.at)}, após 72 horas sem resposta à nossa última mensagem.`
      : `O ${ticketTitle(ticket)} foi fechado ${ticket.by === 'staff' ? 'pela nossa equipe' : 'a pedido do cliente'} em ${formatInstant(ticket.at)}.`) +
    ` Se precisar, responda ao chamado pela Área do Cliente para reabri-lo.` +
    SIGNATURE,
});

const lineText = (line: InvoiceLine) =>
  `- ${line.description} (${formatDate(line.periodStart)} a ${formatDate(line.periodEnd)}): ${formatBrl(line.amountCents)}`;

export const invoiceIssuedText = (invoice: {
  invoiceId: string;
  totalCents: number;
  dueDate: LocalDate;
  lines: readonly InvoiceLine[];
}): MessageText => ({
  subject: `Fatura #${invoice.invoiceId} de ${formatBrl(invoice.totalCents)} vence em ${formatDate(invoice.dueDate)}`,
  body:
    `A fatura #${invoice.invoiceId}, no valor de ${formatBrl(invoice.totalCents)}, foi emitida ` +
    `e vence em ${formatDate(invoice.dueDate)}.\n\n${invoice.lines.map(lineText).join('\n')}` +
    SIGNATURE,
});

export const invoiceOverdueText = (invoice: {
  invoiceId: string;
  totalCents: number | null;
  dueDate: LocalDate;
}): MessageText => ({
  subject: `Fatura #${invoice.invoiceId} vencida em ${formatDate(invoice.dueDate)}`,
  body:
    `A fatura #${invoice.invoiceId}` +
    (invoice.totalCents === null ? '' : `, no valor de ${formatBrl(invoice.totalCents)},`) +
    ` venceu em ${formatDate(invoice.dueDate)} e ainda não foi paga. ` +
    `Pague-a o quanto antes para evitar a suspensão dos serviços que ela cobra.` +
    SIGNATURE,
});

export type ServiceMention = Readonly<{ serviceId: string; plan: string }>;

const serviceTitle = ({ serviceId, plan }: ServiceMention) => `serviço ${plan} (#${serviceId})`;

export const serviceSuspendedText = (
  service: ServiceMention & { reason: SuspensionReason; invoiceId: string | null; at: string },
): MessageText => ({
  subject: `Serviço ${service.plan} suspenso`,
  body:
    `O ${serviceTitle(service)} foi suspenso em ${formatInstant(service.at)} por ${SUSPENSION_REASONS[service.reason]}.` +
    (service.reason === 'non_payment' && service.invoiceId !== null
      ? ` Pague a fatura #${service.invoiceId} para que ele seja reativado automaticamente.`
      : '') +
    SIGNATURE,
});

export const serviceReactivatedText = (
  service: ServiceMention & { by: ReactivatedBy; at: string },
): MessageText => ({
  subject: `Serviço ${service.plan} reativado`,
  body:
    `O ${serviceTitle(service)} foi reativado em ${formatInstant(service.at)}. ${REACTIVATIONS[service.by]}` +
    SIGNATURE,
});

export type IncidentMention = Readonly<{
  instanceName: string;
  title: string;
  services: readonly ServiceMention[];
  at: string;
}>;

const affected = (services: readonly ServiceMention[]) =>
  `\n\nServiços afetados:\n${services.map((service) => `- ${serviceTitle(service)}`).join('\n')}`;

export const incidentOpenedText = (incident: IncidentMention & { impact: IncidentImpact }): MessageText => ({
  subject: `Incidente no servidor ${incident.instanceName}: ${incident.title}`,
  body:
    `Desde ${formatInstant(incident.at)}, o servidor ${incident.instanceName} apresenta ${IMPACTS[incident.impact]}: ` +
    `${incident.title}. Nossa equipe já está trabalhando na solução; você não precisa fazer nada.` +
    affected(incident.services) +
    SIGNATURE,
});

export const incidentResolvedText = (incident: IncidentMention): MessageText => ({
  subject: `Incidente resolvido no servidor ${incident.instanceName}: ${incident.title}`,
  body:
    `O incidente "${incident.title}" no servidor ${incident.instanceName} foi resolvido em ${formatInstant(incident.at)}.` +
    affected(incident.services) +
    SIGNATURE,
});
