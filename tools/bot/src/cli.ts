/**
 * Command line of the bot:
 *   node --import tsx tools/bot/src/cli.ts --url http://127.0.0.1:8080 --token <join token> [--publish] [--subscribe] [--seconds 30] [--fps 25]
 * Joins, publishes generated Opus + VP8 and/or subscribes to every producer, then prints a summary.
 */
import { parseArgs } from 'node:util';
import { Bot } from './bot';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      token: { type: 'string' },
      publish: { type: 'boolean', default: false },
      subscribe: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '30' },
      fps: { type: 'string', default: '25' },
    },
  });
  if (!values.token) {
    process.stderr.write('usage: cli.ts --url <http://host:port> --token <join token> [--publish] [--subscribe] [--seconds N] [--fps N]\n');
    process.exit(2);
  }
  const seconds = Number(values.seconds);
  const bot = await Bot.join({ url: values.url!, token: values.token, name: 'podium-bot-cli' });
  process.stdout.write(`joined as ${bot.joined.role} (${bot.joined.room.self.id}) in ${bot.joined.room.event.id}\n`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    bot.stopSending();
    const s = bot.summary();
    process.stdout.write(`sent: ${s.sent.audioPackets} audio packets, ${s.sent.videoPackets} video packets, ${s.sent.videoFrames} frames\n`);
    for (const r of s.received) {
      process.stdout.write(`received ${r.kind ?? '?'} ${r.producerId}: ${r.packets} packets, ${r.lost} lost, ${r.duplicates} duplicates, ${r.frames} frames, ${r.keyframes} keyframes\n`);
    }
    await bot.leave().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  if (values.subscribe) await bot.subscribeAll();
  if (values.publish) {
    await bot.publish({ audio: true, video: true });
    await bot.sendingConnected();
    bot.startSending(Number(values.fps));
    process.stdout.write('publishing audio + video\n');
  }
  setTimeout(() => void stop(), seconds * 1000);
}

main().catch((err: Error) => {
  process.stderr.write(`bot failed: ${err.message}\n`);
  process.exit(1);
});
