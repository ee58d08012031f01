using BenchmarkDotNet.Running;
using RoboDJ.Benchmarks;

// bench/run.sh: first Python's MultiFernet.rotate on 10,000 fields, then the C# census + rewrap, in one run.
var script = Path.Combine(AppContext.BaseDirectory, "multifernet_rotate.py");
if (File.Exists(script)) Console.WriteLine(PythonReference.Measure(script));
BenchmarkRunner.Run<CensusAndRewrapBenchmarks>(args: args);
