package org.wgan.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-reduce over TCP with task 0 as the hub. The barrier is used once, to rendezvous: task 0 opens a server socket
 * and {@link BarrierTaskContext#allGather(String) all-gathers} its port and a random secret of the stage, the other
 * tasks connect to task 0's address and give their index and the secret; task 0 drops any other connection (the secret
 * travels in Spark's own messages, so this is as safe as they are: no encryption). Then, for every update, each task
 * sends task 0 its gradient (raw 4- or 8-byte values); task 0 sums them in task order, divides by {@code n} and sends
 * the mean back, so every replica applies the same bits.
 *
 * <p>Why not {@code allGather} per update: in Spark 3.5 a barrier call polls for its reply about once a second,
 * which measured 0.7 s per exchange in local mode, far more than a toy network's step. Cost here: task 0 receives
 * and sends {@code n - 1} gradients per update, the others one each way, so the hub's traffic grows with {@code n};
 * a ring would spread it ({@code 2 (n - 1) / n} gradients per task) at the price of {@code n - 1} sequential hops.
 * Fine for the 2-8 workers this is meant for.
 */
final class HubExchange implements GradientExchange, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(HubExchange.class);
    /** How long task 0 waits for a new connection to name its task and give the stage's secret. */
    private static final long HANDSHAKE_MILLIS = 10_000;

    private final int task;
    private final Socket[] peers;
    private final DataInputStream[] in;
    private final DataOutputStream[] out;
    private final ServerSocket server;
    private final long timeoutMillis;
    /** The float exchange's buffers, reused across updates: this task's values (then the mean), a peer's, the wire. */
    private float[] values;
    private float[] term;
    private byte[] wire;
    private long nanos;
    private long bytesSent;

    private HubExchange(int task, int tasks, ServerSocket server, long timeoutMillis) {
        this.task = task;
        this.timeoutMillis = timeoutMillis;
        this.server = server;
        this.peers = new Socket[tasks];
        this.in = new DataInputStream[tasks];
        this.out = new DataOutputStream[tasks];
    }

    /**
     * Connects the stage's tasks: every task calls it once, at the start. A task that waits longer than
     * {@code timeoutMillis} for another (to connect, or for a gradient) fails with {@link SocketTimeoutException}.
     */
    static HubExchange connect(BarrierTaskContext context, long timeoutMillis) {
        String hubHost = context.getTaskInfos()[0].address().split(":")[0];
        return connect(context.partitionId(), context.getTaskInfos().length, hubHost, context::allGather,
                timeoutMillis);
    }

    /**
     * {@link #connect(BarrierTaskContext, long)} with the barrier's parts given: this task's index, the number of
     * tasks, task 0's host, and the all-gather that gives every task each task's message in task order.
     */
    static HubExchange connect(int task, int tasks, String hubHost, Function<String, String[]> allGather,
            long timeoutMillis) {
        int timeout = Math.toIntExact(timeoutMillis);
        HubExchange exchange = null;
        try {
            ServerSocket server = task == 0 ? new ServerSocket(0, tasks) : null;
            exchange = new HubExchange(task, tasks, server, timeoutMillis);
            // task 0 shares a secret of this stage with its port: a connection that does not give it is dropped
            long secret = task == 0 ? new SecureRandom().nextLong() : 0;
            String[] messages = allGather.apply(server != null ? server.getLocalPort() + ":" + secret : "");
            if (task == 0) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
                for (int connected = 1; connected < tasks; ) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new SocketTimeoutException("connections");
                    }
                    server.setSoTimeout(Math.toIntExact(Math.min(left, Integer.MAX_VALUE)));
                    Socket socket = server.accept();
                    socket.setSoTimeout(Math.toIntExact(Math.min(left, HANDSHAKE_MILLIS)));
                    DataInputStream input = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                    int peer;
                    try {
                        peer = input.readInt();
                        if (input.readLong() != secret || peer < 1 || peer >= tasks || exchange.peers[peer] != null) {
                            throw new IOException("a connection from " + socket.getRemoteSocketAddress() + " named"
                                    + " itself task " + peer + " without this stage's secret, or a task connected"
                                    + " already");
                        }
                    } catch (IOException e) {
                        LOG.warn("task 0 dropped a connection to its gradient exchange: {}", e.getMessage());
                        socket.close();
                        continue;
                    }
                    socket.setSoTimeout(timeout);
                    socket.setTcpNoDelay(true);
                    exchange.peers[peer] = socket;
                    exchange.in[peer] = input;
                    exchange.out[peer] = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                    connected++;
                }
            } else {
                String[] portAndSecret = messages[0].split(":");
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(hubHost, Integer.parseInt(portAndSecret[0])), timeout);
                socket.setSoTimeout(timeout);
                socket.setTcpNoDelay(true);
                exchange.peers[0] = socket;
                exchange.in[0] = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                exchange.out[0] = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                exchange.out[0].writeInt(task);
                exchange.out[0].writeLong(Long.parseLong(portAndSecret[1]));
                exchange.out[0].flush();
            }
            return exchange;
        } catch (IOException e) {
            if (exchange != null) {
                exchange.close();
            }
            throw new UncheckedIOException(e instanceof SocketTimeoutException
                    ? "task " + task + " waited over " + timeoutMillis + " ms (exchangeTimeout) for the other tasks"
                    + " of the stage to connect" : "task " + task + " cannot connect to the other tasks of the stage",
                    e);
        }
    }

    @Override
    public void average(INDArray gradient) {
        if (peers.length == 1) {
            // one task: its gradient is the mean already
            return;
        }
        long start = System.nanoTime();
        try {
            if (gradient.dataType() == DataType.FLOAT) {
                averageFloats(gradient);
            } else {
                averageEncoded(gradient);
            }
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("task " + task + " waited over " + timeoutMillis + " ms (exchangeTimeout)"
                    + " for the other tasks' gradients; a task may hang", e);
        } catch (IOException e) {
            throw new UncheckedIOException("task " + task + " lost the gradient exchange (another task failed?)", e);
        }
        nanos += System.nanoTime() - start;
    }

    /**
     * The float32 exchange with reused buffers: the gradient is read from and written back to its native memory in
     * bulk where it is one contiguous buffer (the networks' flat gradients are), and sent little-endian.
     */
    private void averageFloats(INDArray gradient) throws IOException {
        int length = Math.toIntExact(gradient.length());
        if (values == null || values.length != length) {
            values = new float[length];
            term = new float[length];
            wire = new byte[length * Float.BYTES];
        }
        FloatBuffer memory = gradient.offset() == 0 && gradient.elementWiseStride() == 1
                && gradient.data().length() == length ? gradient.data().asNioFloat() : null;
        float[] mine = values;
        if (memory != null) {
            memory.get(0, mine);
        } else {
            mine = gradient.toFloatVector();
        }
        FloatBuffer onWire = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        if (task == 0) {
            for (int peer = 1; peer < peers.length; peer++) {
                in[peer].readFully(wire);
                onWire.get(0, term);
                for (int i = 0; i < length; i++) {
                    mine[i] += term[i];
                }
            }
            float tasks = peers.length;
            for (int i = 0; i < length; i++) {
                mine[i] /= tasks;
            }
            onWire.put(0, mine);
            for (int peer = 1; peer < peers.length; peer++) {
                out[peer].write(wire);
                out[peer].flush();
                bytesSent += wire.length;
            }
        } else {
            onWire.put(0, mine);
            out[0].write(wire);
            out[0].flush();
            bytesSent += wire.length;
            in[0].readFully(wire);
            onWire.get(0, mine);
        }
        if (memory != null) {
            memory.put(0, mine);
        } else {
            gradient.assign(Nd4j.createFromArray(mine));
        }
    }

    /** The exchange of other types (float64): encoded afresh on every call. */
    private void averageEncoded(INDArray gradient) throws IOException {
        boolean doubles = gradient.dataType() == DataType.DOUBLE;
        int width = doubles ? Double.BYTES : Float.BYTES;
        int length = Math.toIntExact(gradient.length());
        byte[] mine = encode(gradient, doubles);
        byte[] mean;
        if (task == 0) {
            ByteBuffer sum = ByteBuffer.wrap(mine.clone());
            byte[] buffer = new byte[mine.length];
            for (int peer = 1; peer < peers.length; peer++) {
                in[peer].readFully(buffer);
                add(sum, ByteBuffer.wrap(buffer), length, doubles);
            }
            divide(sum, length, peers.length, doubles);
            mean = sum.array();
            for (int peer = 1; peer < peers.length; peer++) {
                out[peer].write(mean);
                out[peer].flush();
                bytesSent += mean.length;
            }
        } else {
            out[0].write(mine);
            out[0].flush();
            bytesSent += mine.length;
            mean = new byte[length * width];
            in[0].readFully(mean);
        }
        gradient.assign(decode(mean, doubles).castTo(gradient.dataType()));
    }

    @Override
    public long nanos() {
        return nanos;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public void close() {
        for (Socket peer : peers) {
            closeQuietly(peer);
        }
        closeQuietly(server);
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException e) {
                // closing after the stage: nothing left to do with it
            }
        }
    }

    private static byte[] encode(INDArray gradient, boolean doubles) {
        if (doubles) {
            double[] values = gradient.toDoubleVector();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES);
            bytes.asDoubleBuffer().put(values);
            return bytes.array();
        }
        float[] values = gradient.castTo(DataType.FLOAT).toFloatVector();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    private static INDArray decode(byte[] bytes, boolean doubles) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (doubles) {
            double[] values = new double[bytes.length / Double.BYTES];
            buffer.asDoubleBuffer().get(values);
            return Nd4j.createFromArray(values);
        }
        float[] values = new float[bytes.length / Float.BYTES];
        buffer.asFloatBuffer().get(values);
        return Nd4j.createFromArray(values);
    }

    private static void add(ByteBuffer sum, ByteBuffer term, int length, boolean doubles) {
        for (int i = 0; i < length; i++) {
            if (doubles) {
                sum.putDouble(i * Double.BYTES, sum.getDouble(i * Double.BYTES) + term.getDouble(i * Double.BYTES));
            } else {
                sum.putFloat(i * Float.BYTES, sum.getFloat(i * Float.BYTES) + term.getFloat(i * Float.BYTES));
            }
        }
    }

    private static void divide(ByteBuffer sum, int length, int tasks, boolean doubles) {
        for (int i = 0; i < length; i++) {
            if (doubles) {
                sum.putDouble(i * Double.BYTES, sum.getDouble(i * Double.BYTES) / tasks);
            } else {
                sum.putFloat(i * Float.BYTES, sum.getFloat(i * Float.BYTES) / tasks);
            }
        }
    }
}
