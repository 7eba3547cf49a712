// `vigil disk init DEVICE --cluster NAME`: writes the DISK heartbeat link's header on a shared disk
// or file, while no agent uses it. It never overwrites anything but zeros or this cluster's own
// header unless told to with --force: a shared disk may hold another cluster's slots, or data.
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import {
  diskBytes,
  DISK_BLOCK,
  DISK_DEFAULT_SLOTS,
  DISK_LAYOUT_VERSION,
  DISK_SLOT_SIZE,
  encodeHeader,
  readHeader,
} from '../links/disk-layout.js';
import { parseCommandArgs } from './args.js';
import { CommandFailure, EXIT, UsageError, type Command } from './command.js';

const usage = `usage: vigil disk init DEVICE --cluster NAME [--slots N] [--force]

Writes the header of the DISK heartbeat link on DEVICE (a shared block device or a file) for
cluster NAME, with N server slots (default ${DISK_DEFAULT_SLOTS}), and clears the slots. Run it on one
server while no agent uses the device. An all-zero device is initialised by the agents themselves;
this command is for a device that holds something else: it refuses unless DEVICE is all zeros in
its first 4 KiB or already holds NAME's header, or --force is given.`;

export const diskCommand: Command = {
  name: 'disk',
  summary: 'initialise a shared disk for the DISK heartbeat link',
  usage,
  async run(args, output) {
    const [sub, ...rest] = args;
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      output.out(usage);
      return EXIT.ok;
    }
    if (sub !== 'init')
      throw new UsageError(sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`);
    const { positionals, values } = parseCommandArgs(rest, {
      cluster: { type: 'string' },
      slots: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one DEVICE');
    const device = positionals[0] as string;
    const cluster = values.cluster;
    if (!cluster || !/^[a-z0-9][a-z0-9-]*$/.test(cluster))
      throw new UsageError('give --cluster NAME, the cluster.name of the config');
    const slots = values.slots === undefined ? DISK_DEFAULT_SLOTS : Number(values.slots);
    if (!Number.isInteger(slots) || slots < 1 || slots > 1024)
      throw new UsageError(`--slots ${values.slots}: give a whole number from 1 to 1024`);
    let fd: number;
    try {
      fd = openSync(device, constants.O_RDWR | constants.O_DSYNC);
    } catch (error) {
      throw new CommandFailure(`cannot open ${device}: ${(error as Error).message}`, EXIT.failed);
    }
    try {
      const block = Buffer.alloc(DISK_BLOCK);
      readSync(fd, block, 0, DISK_BLOCK, 0);
      const found = readHeader(block, cluster);
      if (found.kind === 'foreign' && !values.force)
        throw new CommandFailure(
          `refusing to initialise ${device}: ${found.why}. If it is really meant for cluster "${cluster}", add --force`,
          EXIT.failed,
        );
      const total = diskBytes(slots);
      const stat = fstatSync(fd);
      if (stat.isFile() && stat.size < total) ftruncateSync(fd, total);
      // Slots first, header last: a crash half-way leaves no header that promises clean slots.
      const zeros = Buffer.alloc(DISK_SLOT_SIZE);
      for (let slot = 0; slot < slots; slot++)
        writeSync(fd, zeros, 0, zeros.length, DISK_BLOCK + slot * DISK_SLOT_SIZE);
      const header = { version: DISK_LAYOUT_VERSION, slotSize: DISK_SLOT_SIZE, slotCount: slots, cluster };
      writeSync(fd, encodeHeader(header), 0, DISK_BLOCK, 0);
    } catch (error) {
      if (error instanceof CommandFailure) throw error;
      throw new CommandFailure(`cannot initialise ${device}: ${(error as Error).message}`, EXIT.failed);
    } finally {
      closeSync(fd);
    }
    output.out(`initialised ${device} for cluster ${cluster}: ${slots} slots of ${DISK_SLOT_SIZE} bytes`);
    return EXIT.ok;
  },
};
