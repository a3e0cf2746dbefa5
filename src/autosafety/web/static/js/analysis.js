// Monte Carlo, tornado and flip thresholds (filled in once autosafety.analysis exists).
export function bindAnalysis() {}
export async function runAnalysis() {}
