/** Entry point of an SFU worker thread: serves the SFU protocol on the parent port. */
import { parentPort } from 'node:worker_threads';
import { SfuWorkerService } from './sfu-worker-service';

if (!parentPort) throw new Error('worker-entry must run in a worker thread');
const service = new SfuWorkerService(parentPort);
parentPort.once('close', () => service.close());
