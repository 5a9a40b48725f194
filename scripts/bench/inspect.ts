export async function benchInspect(runs: number) {
  console.log(runs);
}
