// A stall shown by comparison in the same run, never by a time limit: the CPU this process spends on
// `heavy` over what it spends on `light`, each the median of several rounds, the two interleaved so
// that the machine's noise falls on both alike. Client and server share the process: a request's CPU
// is all counted.
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

export async function costRatio(heavy: () => Promise<unknown>, light: () => Promise<unknown>, rounds = 9): Promise<number> {
  const heavyCosts: number[] = [];
  const lightCosts: number[] = [];
  await light(); // warm both paths up before counting
  await heavy();
  for (let round = 0; round < rounds; round++) {
    let start = cpuMicros();
    await light();
    lightCosts.push(cpuMicros() - start);
    start = cpuMicros();
    await heavy();
    heavyCosts.push(cpuMicros() - start);
  }
  return median(heavyCosts) / Math.max(1, median(lightCosts));
}
