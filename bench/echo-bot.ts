import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';

/**
 * The baseline: botbuilder's echo bot sample as it stands, on restify with the CloudAdapter and
 * no credentials (as the SOC bot runs here). Whatever it costs per message is the floor that the
 * Bot Framework, restify and the HTTP round trip to the connector set for any bot on this machine.
 */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(context.activity.text ?? '');
      await next();
    });
  }
}

export interface RunningEcho {
  url: string;
  close(): Promise<void>;
}

export async function startEchoBot(): Promise<RunningEcho> {
  return serve('echo-bot', new EchoBot());
}

async function serve(name: string, bot: ActivityHandler): Promise<RunningEcho> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({} as ConfigurationBotFrameworkAuthenticationOptions),
  );
  adapter.onTurnError = async (context) => {
    await context.sendActivity('The echo bot failed.');
  };
  const server = restify.createServer({ name });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The card floor: the same bare bot, answering every message with one prebuilt Adaptive Card (the
 * very card the SOC bot sent for that command), and every card action invoke with it as the invoke
 * response. What sending that card costs any bot on this machine, with no work of its own.
 */
class CardEchoBot extends ActivityHandler {
  card: Record<string, unknown> = { type: 'AdaptiveCard', version: '1.5', body: [] };

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(this.card)));
      await next();
    });
  }

  protected override async onInvokeActivity(_context: TurnContext): Promise<InvokeResponse> {
    return {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: this.card },
    };
  }
}

export interface RunningCardEcho extends RunningEcho {
  /** The card it answers with from now on (parsed once here, as a bot would hold a built card). */
  useCard(json: string): void;
}

export async function startCardEchoBot(): Promise<RunningCardEcho> {
  const bot = new CardEchoBot();
  const running = await serve('card-echo-bot', bot);
  return {
    ...running,
    useCard: (json) => {
      bot.card = JSON.parse(json) as Record<string, unknown>;
    },
  };
}
