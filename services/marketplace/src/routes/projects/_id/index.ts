// `GET /marketplace/projects/:id`, and one `POST /marketplace/projects/:id/<command>` per command of the
// project aggregate (body: the command's zod schema, see commandRoute), grouped as the decider's files
// in src/domain/project/ group them; plus the simulated payment provider.
import { unprocessable } from '@hookline/errors';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  callerHeaders,
  callerOf,
  commandResult,
  commandRoute,
  errors,
  projectParams,
  runCommand,
  type MarketplaceOptions,
} from '../../../api.js';
import type { CommandName } from '../../../domain/index.js';

const project: FastifyPluginAsyncZod<MarketplaceOptions> = async (app, { projects }) => {
  app.get(
    '',
    {
      schema: {
        tags: ['projects'],
        summary: 'The project as its events made it, and the commands the caller may send now',
        headers: callerHeaders,
        params: projectParams,
        response: {
          200: z.object({
            projectId: z.string(),
            status: z.string(),
            project: z.unknown(),
            addons: z.unknown(),
            allowed: z.array(z.string()),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { state, allowed } = await projects.state(callerOf(request), request.params.id);
      return {
        projectId: request.params.id,
        status: state.status,
        project: state.project,
        addons: state.addons,
        allowed,
      };
    },
  );

  // The offer (domain/project/offers.ts); create_draft is POST /marketplace/projects.
  app.post('/send-offer', commandRoute('send_offer'), runCommand(projects, 'send_offer'));
  app.post('/delete-draft', commandRoute('delete_draft'), runCommand(projects, 'delete_draft'));
  app.post('/withdraw-offer', commandRoute('withdraw_offer'), runCommand(projects, 'withdraw_offer'));
  app.post('/decline-offer', commandRoute('decline_offer'), runCommand(projects, 'decline_offer'));
  app.post('/expire-offer', commandRoute('expire_offer'), runCommand(projects, 'expire_offer'));
  app.post('/sign-offer', commandRoute('sign_offer'), runCommand(projects, 'sign_offer'));

  // The project invoice's payment (domain/project/purchase.ts).
  app.post(
    '/project-payment-failed',
    commandRoute('project_payment_failed'),
    runCommand(projects, 'project_payment_failed'),
  );
  app.post(
    '/project-payment-succeeded',
    commandRoute('project_payment_succeeded'),
    runCommand(projects, 'project_payment_succeeded'),
  );

  // The work, stage by stage (domain/project/delivery.ts).
  app.post('/start-work', commandRoute('start_work'), runCommand(projects, 'start_work'));
  app.post('/deliver', commandRoute('deliver'), runCommand(projects, 'deliver'));
  app.post('/request-revisions', commandRoute('request_revisions'), runCommand(projects, 'request_revisions'));
  app.post('/approve-stage', commandRoute('approve_stage'), runCommand(projects, 'approve_stage'));

  // Deadline extensions (domain/project/extension.ts).
  app.post('/request-extension', commandRoute('request_extension'), runCommand(projects, 'request_extension'));
  app.post('/accept-extension', commandRoute('accept_extension'), runCommand(projects, 'accept_extension'));
  app.post('/decline-extension', commandRoute('decline_extension'), runCommand(projects, 'decline_extension'));

  // Add-ons (domain/project/addons.ts).
  app.post('/propose-addon', commandRoute('propose_addon'), runCommand(projects, 'propose_addon'));
  app.post('/withdraw-addon', commandRoute('withdraw_addon'), runCommand(projects, 'withdraw_addon'));
  app.post('/decline-addon', commandRoute('decline_addon'), runCommand(projects, 'decline_addon'));
  app.post('/expire-addon', commandRoute('expire_addon'), runCommand(projects, 'expire_addon'));
  app.post('/accept-addon', commandRoute('accept_addon'), runCommand(projects, 'accept_addon'));
  app.post(
    '/addon-payment-succeeded',
    commandRoute('addon_payment_succeeded'),
    runCommand(projects, 'addon_payment_succeeded'),
  );

  // The end of the project and its files (domain/project/support.ts).
  app.post('/finish-support', commandRoute('finish_support'), runCommand(projects, 'finish_support'));
  app.post('/record-files-deleted', commandRoute('record_files_deleted'), runCommand(projects, 'record_files_deleted'));
  app.post(
    '/record-files-not-deleted',
    commandRoute('record_files_not_deleted'),
    runCommand(projects, 'record_files_not_deleted'),
  );

  // Cancellation (domain/project/cancellation.ts).
  app.post('/request-cancellation', commandRoute('request_cancellation'), runCommand(projects, 'request_cancellation'));
  app.post('/accept-cancellation', commandRoute('accept_cancellation'), runCommand(projects, 'accept_cancellation'));
  app.post('/decline-cancellation', commandRoute('decline_cancellation'), runCommand(projects, 'decline_cancellation'));

  // The payment provider is simulated: it reports the outcome of the buyer's payment of the
  // project invoice or of an add-on invoice, as a real provider's webhook would.
  app.post(
    '/simulate-payment',
    {
      schema: {
        tags: ['payments'],
        summary:
          "Simulated payment provider: report the buyer's payment of the project invoice, or of an add-on invoice",
        headers: callerHeaders,
        params: projectParams,
        body: z.object({
          outcome: z.enum(['succeeded', 'failed']),
          addonId: z.string().min(1).optional().describe('Pay this add-on invoice instead of the project invoice'),
          paymentId: z.string().min(1).optional(),
          method: z.enum(['card', 'bank_transfer']).optional(),
        }),
        response: { 200: commandResult, ...errors },
      },
    },
    async (request) => {
      const { outcome, addonId, ...payment } = request.body;
      const name: CommandName = addonId
        ? 'addon_payment_succeeded'
        : outcome === 'succeeded'
          ? 'project_payment_succeeded'
          : 'project_payment_failed';
      if (addonId && outcome === 'failed') {
        throw unprocessable(
          'a failed add-on payment has no event in the BIYRO document: the add-on stays invoiced',
          {},
          'not_supported',
        );
      }
      return projects.run(callerOf(request), name, request.params.id, addonId ? { addonId, ...payment } : payment);
    },
  );
};

export default project;
