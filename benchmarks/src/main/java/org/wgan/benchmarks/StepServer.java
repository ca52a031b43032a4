package org.wgan.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One JMH benchmark case run on request, for {@code pytorch/paired.py}, which interleaves it with its PyTorch peer
 * in short blocks so that both sides meet the same machine (on a shared 2-vCPU VM the speed on 2 threads swings by
 * some 30% in phases of seconds, benchmarks/JOURNAL.md). The case is the benchmark state's class as JMH would set
 * it up: every {@link Param} field at the value given or at its first declared value, the {@link Setup} method, then
 * the {@link Benchmark} method (one without arguments) called as many times as asked.
 *
 * <pre>
 * java -cp benchmarks.jar org.wgan.benchmarks.StepServer --fork-args CriticStepBenchmark   # the JVM flags to use
 * java [those flags] -cp benchmarks.jar org.wgan.benchmarks.StepServer CriticStepBenchmark.criticStep \
 *     batchSize=256 constraint=unconstrained threads=2
 * </pre>
 *
 * On standard input, {@code run N} runs N operations and answers {@code step-server ms M} (M: milliseconds per
 * operation, measured here); {@code quit} or the end of input stops it. Every answer line starts with
 * {@code step-server }, so the libraries' own log lines on standard output can be told apart.
 */
public final class StepServer {

    private static final String PREFIX = "step-server ";
    private static volatile Object sink;

    private StepServer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 2 && args[0].equals("--fork-args")) {
            Fork fork = stateClass(args[1]).getAnnotation(Fork.class);
            for (String flag : fork == null ? new String[0] : concat(fork.jvmArgs(), fork.jvmArgsAppend())) {
                if (!flag.equals(Fork.BLANK_ARGS)) {
                    out.println(PREFIX + "jvm-arg " + flag);
                }
            }
            out.println(PREFIX + "end");
            return;
        }
        if (args.length < 1 || !args[0].contains(".")) {
            throw new IllegalArgumentException("usage: StepServer Class.method [field=value ...] | --fork-args Class; "
                    + "but was " + Arrays.toString(args));
        }
        String className = args[0].substring(0, args[0].lastIndexOf('.'));
        String methodName = args[0].substring(args[0].lastIndexOf('.') + 1);
        Map<String, String> values = new HashMap<>();
        for (String pair : Arrays.copyOfRange(args, 1, args.length)) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("a parameter must be field=value, but was '" + pair + "'");
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Class<?> type = stateClass(className);
        Object state = type.getDeclaredConstructor().newInstance();
        for (Field field : type.getFields()) {
            Param param = field.getAnnotation(Param.class);
            if (param != null) {
                String value = values.containsKey(field.getName()) ? values.remove(field.getName()) : param.value()[0];
                set(field, state, value);
            }
        }
        if (!values.isEmpty()) {
            throw new IllegalArgumentException(className + " has no @Param fields " + values.keySet());
        }
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(Setup.class) && method.getParameterCount() == 0) {
                method.invoke(state);
            }
        }
        Method operation = type.getMethod(methodName);
        if (!operation.isAnnotationPresent(Benchmark.class)) {
            throw new IllegalArgumentException(className + "." + methodName + " is not a @Benchmark without arguments");
        }
        out.println(PREFIX + "ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            if (!line.startsWith("run ")) {
                throw new IllegalArgumentException("expected 'run N' or 'quit', but was '" + line + "'");
            }
            int count = Integer.parseInt(line.substring(4).trim());
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                sink = invoke(operation, state);
            }
            out.println(PREFIX + "ms " + (System.nanoTime() - start) / 1e6 / count);
            out.flush();
        }
    }

    private static Class<?> stateClass(String simpleName) throws ClassNotFoundException {
        return Class.forName(StepServer.class.getPackageName() + "." + simpleName);
    }

    private static Object invoke(Method operation, Object state) throws Exception {
        try {
            return operation.invoke(state);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void set(Field field, Object state, String value) throws IllegalAccessException {
        Class<?> type = field.getType();
        if (type == int.class) {
            field.setInt(state, Integer.parseInt(value));
        } else if (type == double.class) {
            field.setDouble(state, Double.parseDouble(value));
        } else if (type == String.class) {
            field.set(state, value);
        } else {
            throw new IllegalArgumentException("@Param field " + field.getName() + " of type " + type
                    + " is not served");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
