package org.wgan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The hub's all-reduce between two tasks in this JVM, without Spark: the mean on both, and its timeout. */
class HubExchangeTest {

    /** An all-gather of {@code tasks} tasks: each gets every task's message, in task order, once all have sent. */
    private static final class Gather {
        private final AtomicReferenceArray<String> messages;
        private final CountDownLatch all;

        Gather(int tasks) {
            messages = new AtomicReferenceArray<>(tasks);
            all = new CountDownLatch(tasks);
        }

        Function<String, String[]> of(int task) {
            return message -> {
                messages.set(task, message);
                all.countDown();
                try {
                    all.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                String[] out = new String[messages.length()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = messages.get(i);
                }
                return out;
            };
        }
    }

    @Test
    void everyTaskGetsTheSameMeanOfTheGradients() throws Exception {
        Gather gather = new Gather(2);
        CompletableFuture<HubExchange> hub = CompletableFuture.supplyAsync(
                () -> HubExchange.connect(0, 2, "127.0.0.1", gather.of(0), 5_000));
        try (HubExchange one = HubExchange.connect(1, 2, "127.0.0.1", gather.of(1), 5_000);
                HubExchange zero = hub.get(10, TimeUnit.SECONDS)) {
            // a view inside a larger array (read and written through copies) and a flat one (through its memory)
            INDArray whole = Nd4j.createFromArray(9f, 1f, 2f, 0.1f, 9f);
            INDArray first = whole.get(NDArrayIndex.interval(1, 4));
            INDArray second = Nd4j.createFromArray(3f, -2f, 0.2f);
            CompletableFuture<Void> atZero = CompletableFuture.runAsync(() -> zero.average(first));
            one.average(second);
            atZero.get(10, TimeUnit.SECONDS);

            INDArray expected = Nd4j.createFromArray(2f, 0f, (0.1f + 0.2f) / 2);
            assertThat(first.equalsWithEps(expected, 0)).as("task 0: %s", first).isTrue();
            assertThat(whole.getFloat(0)).isEqualTo(9f);
            assertThat(whole.getFloat(4)).isEqualTo(9f);
            assertThat(second.equalsWithEps(expected, 0)).as("task 1: %s", second).isTrue();
            assertThat(one.bytesSent()).isEqualTo(3 * Float.BYTES);
            assertThat(zero.bytesSent()).isEqualTo(3 * Float.BYTES);
        }
    }

    @Test
    void aTaskThatNeverSendsItsGradientFailsTheHubAfterTheTimeoutInsteadOfStallingIt() throws Exception {
        Gather gather = new Gather(2);
        CompletableFuture<HubExchange> hub = CompletableFuture.supplyAsync(
                () -> HubExchange.connect(0, 2, "127.0.0.1", gather.of(0), 300));
        try (HubExchange silent = HubExchange.connect(1, 2, "127.0.0.1", gather.of(1), 300);
                HubExchange zero = hub.get(10, TimeUnit.SECONDS)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> zero.average(Nd4j.createFromArray(1f, 2f)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("task 0 waited over 300 ms (exchangeTimeout) for the other tasks' gradients; a task"
                            + " may hang");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            assertThat(silent.bytesSent()).isZero();
        }
    }

    @Test
    void aTaskWaitingForOthersToConnectFailsAfterTheTimeout() {
        // one task of two: the other never connects
        assertThatThrownBy(() -> HubExchange.connect(0, 2, "127.0.0.1", message -> new String[] {message, ""}, 200))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("task 0 waited over 200 ms (exchangeTimeout) for the other tasks of the stage to connect");
    }

    @Test
    void theBuilderRefusesATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> SparkWganTrainer.builder().exchangeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exchangeTimeout must be positive and at most 2147483647 ms, but was PT0S");
        assertThatThrownBy(() -> SparkWganTrainer.builder().exchangeTimeout(Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT720H");
    }

    @Test
    void aTaskAloneKeepsItsGradientAndSendsNothing() {
        try (HubExchange alone = HubExchange.connect(0, 1, "127.0.0.1", message -> new String[] {message}, 1_000)) {
            INDArray gradient = Nd4j.createFromArray(1f, -2f);
            alone.average(gradient);
            assertThat(gradient.equalsWithEps(Nd4j.createFromArray(1f, -2f), 0)).isTrue();
            assertThat(alone.bytesSent()).isZero();
        }
    }

    @Test
    void aConnectionWithoutTheStagesSecretIsDroppedAndTheRealTaskStillConnects() throws Exception {
        Gather gather = new Gather(2);
        CompletableFuture<HubExchange> hub = CompletableFuture.supplyAsync(
                () -> HubExchange.connect(0, 2, "127.0.0.1", gather.of(0), 10_000));
        while (gather.messages.get(0) == null) {
            Thread.sleep(5);
        }
        int port = Integer.parseInt(gather.messages.get(0).split(":")[0]);
        try (Socket stray = new Socket("127.0.0.1", port)) {
            DataOutputStream out = new DataOutputStream(stray.getOutputStream());
            out.writeInt(1);
            out.writeLong(42);
            out.flush();
            // the real task 1 connects after it; task 0 starts accepting once both have all-gathered
            CompletableFuture<HubExchange> task1 = CompletableFuture.supplyAsync(
                    () -> HubExchange.connect(1, 2, "127.0.0.1", gather.of(1), 10_000));
            stray.setSoTimeout(10_000);
            // task 0 closes the stray connection
            assertThat(stray.getInputStream().read()).isEqualTo(-1);
            try (HubExchange one = task1.get(10, TimeUnit.SECONDS);
                    HubExchange zero = hub.get(10, TimeUnit.SECONDS)) {
                INDArray first = Nd4j.createFromArray(1f);
                CompletableFuture<Void> atZero = CompletableFuture.runAsync(() -> zero.average(first));
                INDArray second = Nd4j.createFromArray(3f);
                one.average(second);
                atZero.get(10, TimeUnit.SECONDS);
                assertThat(first.getFloat(0)).isEqualTo(2f);
                assertThat(second.getFloat(0)).isEqualTo(2f);
            }
        }
    }
}
