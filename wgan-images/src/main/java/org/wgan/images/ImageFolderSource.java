package org.wgan.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.data.SampleSource;
import org.wgan.core.internal.Checks;

/**
 * Real samples from a folder of pictures: every PNG, JPEG, BMP and GIF file under it (recursively, in sorted path
 * order; hidden files and folders skipped), decoded once at {@link Builder#build()}, fitted to {@code S x S} (scaled
 * and centre-cropped, or scaled and padded with black), grey or RGB, and kept as bytes; {@link #next} returns
 * {@code [batch, channels, S, S]} float32 in {@code [-1, 1]} ({@code p / 127.5 - 1}, as {@code FashionMnist}), drawn
 * uniformly with replacement, index {@code i} being {@code random.nextInt(n)} for {@code i = 0, 1, ...} and then,
 * with flips, one {@code random.nextBoolean()} per image, so a seeded random source gives the same batches again.
 *
 * <pre>{@code
 * ImageFolderSource shoes = ImageFolderSource.builder(Path.of("pictures/shoes")).size(64).rgb().build();
 * trainer = WganTrainer.builder()....realSamples(shoes)...
 * }</pre>
 *
 * <p>Files an image reader cannot decode (a damaged JPEG, a text file named {@code .png}), or smaller than half of
 * {@code S} on a side, are skipped: one warning gives their count and the first few with the reason, and
 * {@link #skipped()} lists them all; {@link Builder#strict(boolean)} refuses the folder instead. A folder with no
 * image file, or none usable, is refused. Decoding runs on {@link Builder#decodeThreads(int)} threads. A set larger
 * than {@link Builder#maxCacheBytes(long)} (bytes: {@code n * channels * S * S}) is streamed instead
 * ({@link #streamed()}): only the headers are checked at build, and a background thread decodes the batches ahead
 * in an order of the source's own, which a checkpoint keeps ({@link #checkpointParticipant()}).
 *
 * <p>With {@link Builder#labelsFromFolders(boolean)} the first-level sub-folder of each file is its class
 * ({@link #classNames()} sorted, {@link #labels()}); files directly in the folder are then refused.
 */
public final class ImageFolderSource implements SampleSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    /** Skipped files named in the warning and in the strict refusal. */
    static final int NAMED_IN_MESSAGES = 5;
    private static final float[] SCALED = new float[256];

    static {
        for (int p = 0; p < 256; p++) {
            SCALED[p] = (float) (p / 127.5 - 1);
        }
    }

    /** How an image of another aspect ratio becomes square. */
    public enum Fit {
        /** Scaled so that its shorter side is S, then the centre S x S kept. */
        CROP,
        /** Scaled so that its longer side is S, then centred on black. */
        PAD
    }

    /** A file that was not used, and why. */
    public record Skipped(Path file, String reason) {
        @Override
        public String toString() {
            return file + " (" + reason + ")";
        }
    }

    private final Path folder;
    private final int size;
    private final int channels;
    private final boolean flips;
    private final byte[] pixels;
    private final int count;
    private final List<Path> files;
    private final List<Skipped> skipped;
    private final int[] labels;
    private final List<String> classNames;
    private final String fingerprint;
    /** The decoder of a streamed set (null when the set is held in memory). */
    private final StreamedImages streamed;
    private final ImageDecoder decoder;

    private ImageFolderSource(Builder b, byte[] pixels, List<Path> files, List<Skipped> skipped, int[] labels,
            List<String> classNames, String fingerprint, StreamedImages streamed, ImageDecoder decoder) {
        this.folder = b.folder;
        this.size = b.size;
        this.channels = b.rgb ? 3 : 1;
        this.flips = b.flips;
        this.pixels = pixels;
        this.count = files.size();
        this.files = List.copyOf(files);
        this.skipped = List.copyOf(skipped);
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.fingerprint = fingerprint;
        this.streamed = streamed;
        this.decoder = decoder;
    }

    /** A builder for the images under {@code folder}; size 64, grey, cropped, no flips, lenient. */
    public static Builder builder(Path folder) {
        return new Builder(Objects.requireNonNull(folder, "folder"));
    }

    @Override
    public INDArray next(int batchSize, Random random) {
        Checks.atLeast("batchSize", batchSize, 1);
        if (streamed != null) {
            // the stream's order is its own (seeded, checkpointed through checkpointParticipant())
            return streamed.next(batchSize);
        }
        int image = channels * size * size;
        float[] out = new float[batchSize * image];
        int[] rows = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            rows[i] = random.nextInt(count);
        }
        for (int i = 0; i < batchSize; i++) {
            scaleInto(pixels, rows[i] * image, out, i * image, channels, size, flips && random.nextBoolean());
        }
        return Nd4j.create(out, new long[] {batchSize, channels, size, size}, DataType.FLOAT);
    }

    /**
     * One image's bytes {@code pixels[from..]} ({@code channels x size x size}) as {@code p / 127.5 - 1} into
     * {@code out[to..]}, mirrored left-right with {@code flip}.
     */
    static void scaleInto(byte[] pixels, int from, float[] out, int to, int channels, int size, boolean flip) {
        if (!flip) {
            for (int j = 0; j < channels * size * size; j++) {
                out[to + j] = SCALED[pixels[from + j] & 0xff];
            }
            return;
        }
        for (int line = 0; line < channels * size; line++) {
            int start = line * size;
            for (int x = 0; x < size; x++) {
                out[to + start + x] = SCALED[pixels[from + start + size - 1 - x] & 0xff];
            }
        }
    }

    /** Image {@code index} (in {@link #files()} order) as {@code [1, channels, S, S]} in {@code [-1, 1]}, unflipped. */
    public INDArray image(int index) {
        Checks.inRange("index", index, 0, count - 1);
        int image = channels * size * size;
        float[] out = new float[image];
        byte[] source = pixels;
        int offset = index * image;
        if (streamed != null) {
            source = new byte[image];
            offset = 0;
            try {
                decoder.decodeInto(files.get(index), source, 0);
            } catch (ImageDecoder.Unusable e) {
                throw new IllegalStateException(files.get(index) + " cannot be decoded: " + e.getMessage());
            }
        }
        scaleInto(source, offset, out, 0, channels, size, false);
        return Nd4j.create(out, new long[] {1, channels, size, size}, DataType.FLOAT);
    }

    /**
     * Whether the set is decoded as it is drawn (it did not fit {@link Builder#maxCacheBytes}, or
     * {@link Builder#streaming} asked for it): then {@link #next} takes epochs of a permutation of the images from
     * the builder's {@link Builder#seed} rather than the trainer's random source, a background thread decodes
     * ahead, and {@link #checkpointParticipant()} must be registered with the trainer for an exact resume.
     */
    public boolean streamed() {
        return streamed != null;
    }

    /** The stream's position for the trainer's checkpoints, when {@link #streamed()}; empty otherwise. */
    public Optional<CheckpointParticipant> checkpointParticipant() {
        return Optional.ofNullable(streamed);
    }

    /** The images used, in sorted path order. */
    public List<Path> files() {
        return files;
    }

    /** Number of images used. */
    public int imageCount() {
        return count;
    }

    /** Files under the folder that were not used, with the reason, in path order. */
    public List<Skipped> skipped() {
        return skipped;
    }

    /** Image side S. */
    public int size() {
        return size;
    }

    /** 1 (grey) or 3 (RGB). */
    public int channels() {
        return channels;
    }

    /** The folder read. */
    public Path folder() {
        return folder;
    }

    /** Each image's class index into {@link #classNames()}; empty without {@link Builder#labelsFromFolders}. */
    public int[] labels() {
        return labels.clone();
    }

    /** Sorted sub-folder names with {@link Builder#labelsFromFolders}; empty otherwise. */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The data set's identity for a run folder: the number of image files found and a SHA-256 over their paths
     * relative to the folder and their sizes in bytes ({@code "10000 files, sha256 3f2a..."}); a renamed, added,
     * removed or rewritten-to-another-size file changes it.
     */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "images under " + folder + " (" + count + " at " + size + "x" + size + ", "
                + (channels == 3 ? "RGB" : "grey") + (flips ? ", flipped at random" : "") + ")";
    }

    /** Settings of an {@link ImageFolderSource}; {@link #build()} checks the folder and decodes it. */
    public static final class Builder {
        private final Path folder;
        private int size = 64;
        private boolean rgb;
        private Fit fit = Fit.CROP;
        private boolean flips;
        private boolean strict;
        private boolean labelsFromFolders;
        private int decodeThreads = Runtime.getRuntime().availableProcessors();
        private long maxCacheBytes = 1L << 30;
        private boolean streaming;
        private long seed = 1;

        private Builder(Path folder) {
            this.folder = folder;
        }

        /** Image side S in pixels, 4..4096; default 64. */
        public Builder size(int size) {
            this.size = (int) Checks.inRange("size", size, 4, 4096);
            return this;
        }

        /** Three channels, sRGB. */
        public Builder rgb() {
            this.rgb = true;
            return this;
        }

        /** One channel, the luma {@code 0.299 R + 0.587 G + 0.114 B} (the default). */
        public Builder grey() {
            this.rgb = false;
            return this;
        }

        /** {@link Fit#CROP} (the default) or {@link Fit#PAD}. */
        public Builder fit(Fit fit) {
            this.fit = Objects.requireNonNull(fit, "fit");
            return this;
        }

        /** Mirror each drawn image left-right with probability 1/2 (default false). */
        public Builder flips(boolean flips) {
            this.flips = flips;
            return this;
        }

        /** Refuse the folder when any image file cannot be used, instead of skipping it (default false). */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /** First-level sub-folder names as class labels (default false). */
        public Builder labelsFromFolders(boolean labelsFromFolders) {
            this.labelsFromFolders = labelsFromFolders;
            return this;
        }

        /** Threads decoding at {@link #build()}, >= 1; default the available processors. */
        public Builder decodeThreads(int threads) {
            this.decodeThreads = Checks.atLeast("decodeThreads", threads, 1);
            return this;
        }

        /**
         * Bound on the decoded set in bytes ({@code n * channels * S * S}), >= 1; default 1 GiB. A larger set is
         * streamed ({@link ImageFolderSource#streamed()}).
         */
        public Builder maxCacheBytes(long bytes) {
            this.maxCacheBytes = Checks.atLeast("maxCacheBytes", bytes, 1);
            return this;
        }

        /** Stream the set even if it fits the cache bound (default false). */
        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /** Seed of a streamed set's order and flips (default 1; the examples pass the run's seed). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Finds, decodes and fits every image file.
         *
         * @throws IllegalArgumentException naming the folder when it is missing, holds no image file, none usable,
         *                                  (strict) any unusable, or (labels) a file lies directly in it; naming the
         *                                  files and reasons
         * @throws UncheckedIOException     when the folder cannot be listed
         */
        public ImageFolderSource build() {
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("images folder " + folder + (Files.exists(folder)
                        ? " is not a folder" : " does not exist"));
            }
            List<Path> candidates = imageFiles();
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("images folder " + folder + " holds no PNG, JPEG, BMP or GIF"
                        + " file (searched recursively, by file name extension)");
            }
            int image = (rgb ? 3 : 1) * size * size;
            boolean stream = streaming || (double) candidates.size() * image > maxCacheBytes;
            List<String> classes = labelsFromFolders ? classesOf(candidates) : List.of();
            String fingerprint = fingerprintOf(candidates);
            ImageDecoder decoder = new ImageDecoder(size, rgb, fit);
            byte[] decoded = stream ? new byte[0] : new byte[candidates.size() * image];
            // a streamed set's files are decoded as they are drawn: only their headers are read now
            FileWork read = stream ? (file, i) -> decoder.checkHeader(file)
                    : (file, i) -> decoder.decodeInto(file, decoded, i * image);
            String[] reasons = reasons(candidates, read);
            List<Path> used = new ArrayList<>();
            List<Skipped> skipped = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            int kept = 0;
            for (int i = 0; i < candidates.size(); i++) {
                Path file = candidates.get(i);
                if (reasons[i] != null) {
                    skipped.add(new Skipped(file, reasons[i]));
                    continue;
                }
                if (kept != i && !stream) {
                    System.arraycopy(decoded, i * image, decoded, kept * image, image);
                }
                kept++;
                used.add(file);
                if (labelsFromFolders) {
                    labels.add(Collections.binarySearch(classes, folder.relativize(file).getName(0).toString()));
                }
            }
            String firstSkipped = skipped.stream().limit(NAMED_IN_MESSAGES).map(Skipped::toString)
                    .collect(Collectors.joining("; "));
            if (used.isEmpty()) {
                throw new IllegalArgumentException("images folder " + folder + ": none of its " + candidates.size()
                        + " image files can be used: " + firstSkipped);
            }
            if (!skipped.isEmpty()) {
                String message = String.format(Locale.ROOT, "images folder %s: %,d of %,d image files cannot be"
                        + " used: %s%s", folder, skipped.size(), candidates.size(), firstSkipped,
                        skipped.size() > NAMED_IN_MESSAGES ? "; ..." : "");
                if (strict) {
                    throw new IllegalArgumentException(message + " (strict: remove or fix them)");
                }
                LOG.warn("{}; skipped", message);
            }
            byte[] pixels = stream || kept == candidates.size() ? decoded : Arrays.copyOf(decoded, kept * image);
            StreamedImages streamed = stream ? new StreamedImages(used, decoder, rgb ? 3 : 1, size, flips, seed) : null;
            if (stream) {
                LOG.info("images folder {}: {} images streamed ({} bytes decoded would exceed maxCacheBytes {})",
                        folder, used.size(), (long) used.size() * image, maxCacheBytes);
            }
            return new ImageFolderSource(this, pixels, used, skipped,
                    labels.stream().mapToInt(Integer::intValue).toArray(), classes, fingerprint, streamed, decoder);
        }

        private List<Path> imageFiles() {
            try (Stream<Path> walk = Files.walk(folder)) {
                return walk.filter(Files::isRegularFile).filter(this::visible).filter(Builder::hasImageExtension)
                        .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list images folder " + folder, e);
            }
        }

        private boolean visible(Path file) {
            for (Path part : folder.relativize(file)) {
                if (part.toString().startsWith(".")) {
                    return false;
                }
            }
            return true;
        }

        private static boolean hasImageExtension(Path file) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        }

        private List<String> classesOf(List<Path> candidates) {
            Set<String> names = new TreeSet<>();
            for (Path file : candidates) {
                Path relative = folder.relativize(file);
                if (relative.getNameCount() < 2) {
                    throw new IllegalArgumentException("images folder " + folder + ": with labels from sub-folders"
                            + " every image must lie in one, but " + relative + " lies directly in the folder");
                }
                names.add(relative.getName(0).toString());
            }
            return List.copyOf(names);
        }

        private String fingerprintOf(List<Path> candidates) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (Path file : candidates) {
                    String relative = folder.relativize(file).toString().replace('\\', '/');
                    digest.update((relative + "\t" + Files.size(file) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                return candidates.size() + " files, sha256 " + HexFormat.of().formatHex(digest.digest());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of a file under " + folder, e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }

        /** What {@link #reasons} does with candidate {@code i}. */
        private interface FileWork {
            void apply(Path file, int i) throws ImageDecoder.Unusable;
        }

        /**
         * Runs {@code work} on every candidate, on {@link #decodeThreads} threads; the reason each unusable one
         * failed, null for the rest.
         */
        private String[] reasons(List<Path> candidates, FileWork work) {
            String[] reasons = new String[candidates.size()];
            int threads = Math.min(decodeThreads, candidates.size());
            ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "wgan-image-decoder");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<?>> parts = new ArrayList<>();
                int chunk = (candidates.size() + threads - 1) / threads;
                for (int t = 0; t < threads; t++) {
                    int from = t * chunk;
                    int to = Math.min(candidates.size(), from + chunk);
                    parts.add(pool.submit(() -> {
                        for (int i = from; i < to; i++) {
                            try {
                                work.apply(candidates.get(i), i);
                            } catch (ImageDecoder.Unusable e) {
                                reasons[i] = e.getMessage();
                            }
                        }
                    }));
                }
                for (Future<?> f : parts) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the images under " + folder, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("reading the images under " + folder + " failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
            return reasons;
        }
    }
}
