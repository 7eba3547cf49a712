// The simulator's command line.
//   npm run sim -- --seed S [--servers K] [--trace] [--heartbeats]      replay one schedule
//   npm run sim -- --schedules N --servers K[,K...] [--from SEED] [--jobs J]
//                                                                      run N schedules
//   npm run sim -- --scenario NAME | --scenarios                        run named scenarios
// Common: --window MS (fault window, default 20000), --faults N, --unsafe skipMoveHandshake|skipTakeoverDelay.
import { availableParallelism } from 'node:os';
import { realEngine } from './engine-factory.js';
import type { UnsafeOptions } from './engine-port.js';
import { defaultWindowMs, runSeed } from './run.js';
import { formatSummary, formatViolation } from './report.js';
import { sweep } from './sweep.js';
import { formatEntry, formatTime } from './trace.js';
import { describeEvent } from './schedule.js';
import { describeModel } from './run.js';
import { scenarios, runScenario } from './scenarios.js';

interface Args {
  seed?: number;
  schedules?: number;
  servers: number[];
  from: number;
  trace: boolean;
  heartbeats: boolean;
  window: number;
  faults?: number;
  jobs?: number;
  unsafe?: UnsafeOptions;
  scenario?: string;
  scenarios: boolean;
  help: boolean;
}

const usage = `usage:
  npm run sim -- --seed S [--servers K] [--trace] [--heartbeats]     replay one schedule
  npm run sim -- --schedules N --servers K[,K...] [--from SEED] [--jobs J]
                                                                     run N schedules (seeds FROM..FROM+N-1,
                                                                     server counts cycling through the list)
  npm run sim -- --scenario NAME | --scenarios                       run one or every named scenario
options: --window MS (fault window, default ${defaultWindowMs}), --faults N (fault events per schedule), --unsafe skipMoveHandshake|skipTakeoverDelay
scenarios: ${scenarios.map((s) => s.name).join(', ')}`;

function parse(argv: string[]): Args {
  const args: Args = {
    servers: [3],
    from: 1,
    trace: false,
    heartbeats: false,
    window: defaultWindowMs,
    scenarios: false,
    help: false,
  };
  const int = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0)
      throw new Error(`${flag} needs a whole number, got ${value ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i];
    switch (flag) {
      case '--seed':
        args.seed = int(flag, value());
        break;
      case '--schedules':
        args.schedules = int(flag, value());
        break;
      case '--from':
        args.from = int(flag, value());
        break;
      case '--servers': {
        const v = value();
        args.servers = (v ?? '').split(',').map((x) => int(flag, x));
        if (args.servers.some((k) => k < 2 || k > 64))
          throw new Error('--servers: each count must be 2 to 64');
        break;
      }
      case '--window':
        args.window = int(flag, value());
        break;
      case '--faults':
        args.faults = int(flag, value());
        break;
      case '--jobs':
        args.jobs = Math.max(1, int(flag, value()));
        break;
      case '--unsafe': {
        const v = value();
        if (v !== 'skipMoveHandshake' && v !== 'skipTakeoverDelay') {
          throw new Error(`--unsafe takes skipMoveHandshake or skipTakeoverDelay, got ${v ?? 'nothing'}`);
        }
        args.unsafe = { ...args.unsafe, [v]: true };
        break;
      }
      case '--trace':
        args.trace = true;
        break;
      case '--heartbeats':
        args.heartbeats = true;
        break;
      case '--scenario':
        args.scenario = value();
        break;
      case '--scenarios':
        args.scenarios = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}

function replayOne(args: Args, seed: number): number {
  const servers = args.servers[0]!;
  const result = runSeed({
    seed,
    servers,
    factory: realEngine,
    windowMs: args.window,
    ...(args.faults !== undefined ? { faults: args.faults } : {}),
    ...(args.unsafe ? { unsafe: args.unsafe } : {}),
    ...(args.trace ? { live: (e) => console.log(formatEntry(e)), traceHeartbeats: args.heartbeats } : {}),
  });
  if (!args.trace) {
    console.log(`model: ${describeModel(result.model)}`);
    console.log('schedule:');
    for (const e of result.schedule.events)
      console.log(`  ${formatTime(e.at).padStart(9)}  ${describeEvent(e)}`);
    console.log(
      `heal at ${formatTime(result.windowMs)}; liveness checked ${formatTime(result.boundMs)} later`,
    );
  }
  console.log(formatSummary(result));
  if (result.violation) {
    console.log(formatViolation(result));
    return 1;
  }
  return 0;
}

async function runMany(args: Args, count: number): Promise<number> {
  const jobs = args.jobs ?? (count >= 40 ? Math.min(4, availableParallelism()) : 1);
  let shown = 0;
  const result = await sweep({
    from: args.from,
    count,
    servers: args.servers,
    windowMs: args.window,
    ...(args.faults !== undefined ? { faults: args.faults } : {}),
    jobs,
    factory: realEngine,
    ...(args.unsafe ? { unsafe: args.unsafe } : {}),
    progress: (_done, s) => {
      if (!s.violation) return;
      if (shown++ === 0) console.log(formatViolation(s.violation, 60));
      else console.log(formatSummary(s.violation));
    },
  });
  console.log(
    `simulated ${formatTime(result.simulatedMs)} in ${formatTime(result.wallMs)} wall time, ${result.steps} engine steps, ${jobs} job(s)`,
  );
  for (const v of result.violations) {
    console.log(
      `  seed ${v.seed} servers ${v.servers}: ${v.violation!.invariant} at ${formatTime(v.violation!.at)}`,
    );
  }
  console.log(`${result.schedules} schedules, ${result.violations.length} violations`);
  return result.violations.length > 0 ? 1 : 0;
}

function runScenarios(names: string[], live: boolean): number {
  let failed = 0;
  for (const name of names) {
    const outcome = runScenario(name, realEngine, live ? (e) => console.log(formatEntry(e)) : undefined);
    console.log(`${outcome.ok ? 'ok  ' : 'FAIL'} ${name}: ${outcome.message}`);
    if (!outcome.ok) {
      failed++;
      console.log(outcome.report);
    }
  }
  console.log(`${names.length} scenarios, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`sim: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  if (args.scenarios)
    return runScenarios(
      scenarios.map((s) => s.name),
      args.trace,
    );
  if (args.scenario !== undefined) {
    if (!scenarios.some((s) => s.name === args.scenario)) {
      console.error(
        `sim: no scenario ${args.scenario}; scenarios are: ${scenarios.map((s) => s.name).join(', ')}`,
      );
      return 2;
    }
    return runScenarios([args.scenario], args.trace);
  }
  if (args.seed !== undefined) return replayOne(args, args.seed);
  if (args.schedules !== undefined) return runMany(args, args.schedules);
  console.error(`sim: give --seed, --schedules, --scenario or --scenarios\n${usage}`);
  return 2;
}

process.exitCode = await main();
