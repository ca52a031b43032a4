package org.wgan.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgan.core.checkpoint.CheckpointParticipant;

/**
 * The images of a set too large for memory, decoded as they are drawn: epochs of a permutation of the files drawn
 * from the source's own seed ({@code new Random(seed + epoch)}), batches taken in order, each image flipped (with
 * flips) by {@code new Random(seed ^ (epoch * n + position)).nextBoolean()}. A daemon thread decodes the next
 * {@value #AHEAD} batches ahead. The position (epoch, index) is a checkpoint participant, so a resumed run goes on
 * with the same images. A file whose pixels turn out to be damaged is skipped (the next in the permutation taken),
 * logged once.
 */
final class StreamedImages implements CheckpointParticipant {

    private static final Logger LOG = LoggerFactory.getLogger(StreamedImages.class);
    static final int AHEAD = 4;
    static final String POSITION = "imageFolderSource.position";

    private final List<Path> files;
    private final ImageDecoder decoder;
    private final int channels;
    private final int size;
    private final boolean flips;
    private final long seed;
    private final Map<Integer, String> damaged = new ConcurrentHashMap<>();
    /** The consumer's position: the next batch starts at image {@code index} of epoch {@code epoch}. */
    private long epoch;
    private int index;
    private Prefetch prefetch;

    StreamedImages(List<Path> files, ImageDecoder decoder, int channels, int size, boolean flips, long seed) {
        this.files = List.copyOf(files);
        this.decoder = decoder;
        this.channels = channels;
        this.size = size;
        this.flips = flips;
        this.seed = seed;
    }

    synchronized INDArray next(int batchSize) {
        if (prefetch == null || prefetch.batchSize != batchSize || prefetch.nextEpoch != epoch
                || prefetch.nextIndex != index) {
            stopPrefetch();
            prefetch = new Prefetch(batchSize, epoch, index);
        }
        Batch batch = prefetch.take();
        epoch = batch.nextEpoch;
        index = batch.nextIndex;
        return Nd4j.create(batch.values, new long[] {batchSize, channels, size, size}, DataType.FLOAT);
    }

    /** Thrown out of a decode whose prefetch was stopped. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** One decoded batch and the position after it. */
    private record Batch(float[] values, long nextEpoch, int nextIndex) {
    }

    /** Epoch {@code e}'s order of the files: a Fisher-Yates shuffle by {@code new Random(seed + e)}. */
    int[] permutation(long e) {
        int[] order = new int[files.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed + e);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private void stopPrefetch() {
        if (prefetch != null) {
            prefetch.thread.interrupt();
            prefetch = null;
        }
    }

    /** Files found damaged while streaming, with the reason. */
    synchronized Map<Integer, String> damaged() {
        return Map.copyOf(damaged);
    }

    @Override
    public synchronized Map<String, INDArray> checkpointArrays() {
        return Map.of(POSITION, Nd4j.createFromArray(new long[] {epoch, index}));
    }

    @Override
    public synchronized void restoreCheckpointArrays(Map<String, INDArray> arrays) {
        long[] position = arrays.get(POSITION).toLongVector();
        stopPrefetch();
        epoch = position[0];
        index = (int) position[1];
    }

    @Override
    public List<String> checkpointMismatches(Map<String, INDArray> arrays) {
        List<String> out = new ArrayList<>();
        INDArray saved = arrays.get(POSITION);
        if (saved == null) {
            out.add("checkpoint holds no '" + POSITION + "', the streamed image source's position");
        } else if (saved.length() != 2 || saved.getLong(1) < 0 || saved.getLong(1) > files.size()) {
            out.add("checkpoint's '" + POSITION + "' " + saved + " is not a position among " + files.size()
                    + " images");
        }
        return out;
    }

    @Override
    public String toString() {
        return "streamed images (" + files.size() + ")";
    }

    /** The thread decoding ahead of the consumer, from one starting position and batch size. */
    private final class Prefetch {
        private final int batchSize;
        private final long epoch;
        private final int index;
        /** Where the next batch handed over starts (the consumer's position while it keeps pace). */
        private long nextEpoch;
        private int nextIndex;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
        private final Thread thread;
        /** The epoch whose order of the files {@code order} holds (the decoding thread's only). */
        private long orderEpoch = -1;
        private int[] order;

        Prefetch(int batchSize, long startEpoch, int startIndex) {
            this.batchSize = batchSize;
            this.epoch = startEpoch;
            this.index = startIndex;
            this.nextEpoch = startEpoch;
            this.nextIndex = startIndex;
            thread = new Thread(this::run, "wgan-image-prefetch");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            long e = epoch;
            int i = index;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Batch batch;
                    try {
                        batch = decode(e, i);
                    } catch (Stopped stopped) {
                        return;
                    } catch (RuntimeException failure) {
                        queue.put(failure);
                        return;
                    }
                    queue.put(batch);
                    e = batch.nextEpoch;
                    i = batch.nextIndex;
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }

        /** Decodes the batch starting at ({@code e}, {@code i}). */
        private Batch decode(long e, int i) {
            int image = channels * size * size;
            float[] out = new float[batchSize * image];
            byte[] pixels = new byte[image];
            int filled = 0;
            int misses = 0;
            while (filled < batchSize) {
                if (i == files.size()) {
                    e++;
                    i = 0;
                }
                if (orderEpoch != e) {
                    order = permutation(e);
                    orderEpoch = e;
                }
                int file = order[i];
                boolean flip = flips && new Random(seed ^ (e * files.size() + i)).nextBoolean();
                i++;
                try {
                    decoder.decodeInto(files.get(file), pixels, 0);
                } catch (ImageDecoder.Unusable unusable) {
                    if (Thread.currentThread().isInterrupted()) {
                        // a stopped prefetch: its reads fail because the interrupt closed their channels
                        throw new Stopped();
                    }
                    if (damaged.putIfAbsent(file, unusable.getMessage()) == null) {
                        LOG.warn("skipping {} ({})", files.get(file), unusable.getMessage());
                    }
                    if (++misses > files.size()) {
                        throw new IllegalStateException("none of the " + files.size() + " streamed images decodes");
                    }
                    continue;
                }
                ImageFolderSource.scaleInto(pixels, 0, out, filled * image, channels, size, flip);
                filled++;
            }
            return new Batch(out, e, i);
        }

        Batch take() {
            try {
                Object next;
                do {
                    next = queue.poll(1, TimeUnit.SECONDS);
                } while (next == null && thread.isAlive());
                if (next == null) {
                    next = queue.poll();
                }
                if (next instanceof RuntimeException failure) {
                    throw failure;
                }
                if (next == null) {
                    throw new IllegalStateException("the image prefetch thread stopped");
                }
                Batch batch = (Batch) next;
                nextEpoch = batch.nextEpoch;
                nextIndex = batch.nextIndex;
                return batch;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for images", e);
            }
        }
    }
}
