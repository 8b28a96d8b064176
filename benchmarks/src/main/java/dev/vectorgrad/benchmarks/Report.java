package dev.vectorgrad.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the suite and prints one table: each result as GB/s, GFLOPS, steps/s or ns, beside its baselines
 * measured in the same run (the scalar loop, the copy loop, the FMA peak, the bare NDArray op) and, for
 * training and optimizer steps, the bytes allocated per step (JMH's gc profiler).
 *
 * <pre>
 * ./benchmarks/run quick            # a few minutes on 2 cores
 * ./benchmarks/run full             # longer warm-up and measurement, two forks
 * ./benchmarks/run quick MatMul     # only benchmarks whose name matches
 * benchmarks/compare                # the peers (NumPy, PyTorch) first, then this, with ratios
 * </pre>
 *
 * <p>The quick profile still warms up for three seconds: the Vector API kernels are recompiled a few
 * times before C2 settles, and a warm-up of one or two measured a 1M-element sum 40 times too slow.
 */
public final class Report {

    private Report() {
    }

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        boolean full = args.length > 0 && args[0].equals("full");
        String include = args.length > 1 ? args[1] : "dev.vectorgrad.benchmarks.*";
        ChainedOptionsBuilder options = new OptionsBuilder().include(include)
                .warmupIterations(full ? 5 : 3).warmupTime(TimeValue.seconds(full ? 2 : 1))
                .measurementIterations(full ? 5 : 3).measurementTime(TimeValue.milliseconds(full ? 2000 : 500))
                .forks(full ? 2 : 1).timeUnit(TimeUnit.NANOSECONDS).addProfiler(GCProfiler.class);
        if (!full) {
            // The quick profile keeps the largest product and the 16M-element arrays out: they alone would
            // take minutes.
            options.param("shape", "256x256x256", "512x512x512", "1024x1024x1024", "64x784x256");
            options.param("n", "1048576");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> nanos = new LinkedHashMap<>();
        Map<String, Double> allocated = new LinkedHashMap<>();
        for (RunResult r : results) {
            nanos.put(key(r), r.getPrimaryResult().getScore());
            Result<?> bytes = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (bytes != null) {
                allocated.put(key(r), bytes.getScore());
            }
        }
        Map<String, Map<String, String>> peers = args.length > 2 ? readPeers(java.nio.file.Path.of(args[2])) : Map.of();
        System.out.println();
        System.out.println(table(nanos, allocated, peers));
    }

    /** Lines {@code workload<TAB>library<TAB>rate<TAB>unit} written by benchmarks/peers.py. */
    static Map<String, Map<String, String>> readPeers(java.nio.file.Path file) throws java.io.IOException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length == 4) {
                out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f[2]);
            }
        }
        return out;
    }

    /** The peers' workload name for one of ours: the method and parameters, single-threaded unless named. */
    private static String peerKey(String key) {
        String workload = key.substring(key.indexOf('.') + 1);
        return workload.contains("threads=") ? workload : workload + " threads=1";
    }

    private static String key(RunResult r) {
        String method = r.getParams().getBenchmark().replaceFirst(".*\\.(\\w+)\\.(\\w+)$", "$1.$2");
        List<String> params = new ArrayList<>();
        for (String p : r.getParams().getParamsKeys()) {
            params.add(p + "=" + r.getParams().getParam(p));
        }
        return params.isEmpty() ? method : method + " " + String.join(" ", params);
    }

    static String table(Map<String, Double> nanos, Map<String, Double> allocated, Map<String, Map<String, String>> peers) {
        StringBuilder out = new StringBuilder(String.format("%-62s %12s %14s  %-26s %s%n", "benchmark", "time (ns)", "rate",
                "ours/peer", "vs baseline"));
        Double peak = nanos.get("FmaPeakBenchmark.fmaPeak");
        double peakGflops = peak == null ? Double.NaN : FmaPeakBenchmark.flops() / peak;
        for (Map.Entry<String, Double> e : nanos.entrySet()) {
            String key = e.getKey();
            double ns = e.getValue();
            String rate = "", versus = "";
            if (key.startsWith("ElementwiseBenchmark.")) {
                String op = method(key).substring("ElementwiseBenchmark.".length());
                long n = Long.parseLong(key.replaceFirst(".* n=(\\d+).*", "$1"));
                double gbs = bytesPerElement(op) * n / ns;
                rate = String.format("%.1f GB/s", gbs);
                String copyKey = key.replace(op, "copyLoop").replaceFirst(" threads=\\d+", "");
                if (op.equals("add") && nanos.containsKey(copyKey)) {
                    double copy = bytesPerElement("copyLoop") * n / nanos.get(copyKey);
                    versus = String.format("%.0f%% of the copy loop's bandwidth", 100 * gbs / copy);
                }
            } else if (key.startsWith("MatMulBenchmark.")) {
                long[] d = Arrays.stream(key.replaceFirst(".* (small)?[sS]hape=(\\S+).*", "$2").split("x")).mapToLong(Long::parseLong)
                        .toArray();
                double gflops = 2.0 * d[0] * d[1] * d[2] / ns;
                rate = String.format("%.1f GFLOPS", gflops);
                versus = ofPeak(gflops, peakGflops, threads(key));
            } else if (key.startsWith("ConvBenchmark.")) {
                String layer = key.replaceFirst(".* layer=(\\S+).*", "$1");
                double passes = key.startsWith("ConvBenchmark.conv2dBackward") ? 2 : 1;
                double gflops = passes * ConvBenchmark.flops(layer) / ns;
                rate = String.format("%.1f GFLOPS", gflops);
                versus = ofPeak(gflops, peakGflops, threads(key));
            } else if (key.startsWith("PoolBenchmark.")) {
                String op = method(key).substring("PoolBenchmark.".length());
                rate = String.format("%.1f GB/s", PoolBenchmark.bytes(op) / ns);
            } else if (key.equals("FmaPeakBenchmark.fmaPeak")) {
                rate = String.format("%.1f GFLOPS", peakGflops);
                versus = "register-only FMA, 1 core";
            } else if (key.startsWith("AutodiffOverheadBenchmark.mulRecorded")) {
                Double bare = nanos.get("AutodiffOverheadBenchmark.mulArray");
                versus = bare == null ? "" : String.format("%.0f ns of bookkeeping over the bare NDArray op", ns - bare);
            } else if (key.equals("AutodiffOverheadBenchmark.mlpStepWithAnomaly")) {
                Double plain = nanos.get("AutodiffOverheadBenchmark.mlpStep");
                versus = plain == null ? "" : String.format("anomaly mode adds %.0f%% to the step", 100 * (ns / plain - 1));
            } else if (key.startsWith("TrainingStepBenchmark.")) {
                rate = String.format("%.0f steps/s", 1e9 / ns);
                versus = allocatedPerCall(allocated.get(key), "step");
            } else if (key.startsWith("OptimizerStepBenchmark.")) {
                long n = Long.parseLong(key.replaceFirst(".* n=(\\d+).*", "$1"));
                rate = String.format("%.0f Mparams/s", 1e3 * n / ns);
                versus = allocatedPerCall(allocated.get(key), "step");
            }
            Double scalar = nanos.get(scalarLoop(key));
            if (scalar != null && !key.equals(scalarLoop(key))) {
                versus = String.format("%.2fx the scalar loop", scalar / ns) + (versus.isEmpty() ? "" : ", " + versus);
            }
            StringBuilder ratios = new StringBuilder();
            if (!rate.isEmpty()) {
                double ours = Double.parseDouble(rate.substring(0, rate.indexOf(' ')));
                peers.getOrDefault(peerKey(key), Map.of()).forEach((lib, value) ->
                        ratios.append(String.format("%s %.2f  ", lib, ours / Double.parseDouble(value))));
            }
            out.append(String.format("%-62s %12.1f %14s  %-26s %s%n", key, ns, rate, ratios.toString().trim(), versus));
        }
        return out.toString();
    }

    private static String method(String key) {
        return key.contains(" ") ? key.substring(0, key.indexOf(' ')) : key;
    }

    /** The thread count of a result, 1 for the scalar loops, which have none. */
    private static int threads(String key) {
        return key.contains(" threads=") ? Integer.parseInt(key.replaceFirst(".* threads=(\\d+).*", "$1")) : 1;
    }

    private static String ofPeak(double gflops, double peakGflops, int threads) {
        return Double.isNaN(peakGflops) ? ""
                : String.format("%.0f%% of the %d-core FMA peak", 100 * gflops / (peakGflops * threads), threads);
    }

    /**
     * The key of the scalar loop a result is measured against: its method without the allocating or
     * transposed variant's suffix, plus "ScalarLoop", with the same parameters but the thread count (the
     * loops run on one thread; matmul's take the shape as smallShape). A scalar loop is its own.
     */
    static String scalarLoop(String key) {
        String method = method(key);
        if (method.endsWith("ScalarLoop")) {
            return key;
        }
        String params = key.substring(method.length()).replaceFirst(" threads=\\d+", "").replace(" shape=", " smallShape=");
        return method.replaceFirst("(Allocating|TransposedB)$", "") + "ScalarLoop" + params;
    }

    /** "12.3 KB allocated per step", from JMH's gc profiler, or nothing where it did not run. */
    private static String allocatedPerCall(Double bytes, String call) {
        return bytes == null ? "" : String.format("%.1f KB allocated per %s", bytes / 1024, call);
    }

    /** Bytes each element costs in memory traffic: reads plus writes, FLOAT32. */
    private static int bytesPerElement(String op) {
        return switch (op) {
            case "add", "addAllocating", "addScalarLoop" -> 12;
            case "sum", "sumScalarLoop", "sumRows", "sumRowsScalarLoop", "maxRows", "maxRowsScalarLoop" -> 4;
            default -> 8;
        };
    }
}
