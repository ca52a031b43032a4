package org.wgan.examples.support;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PNGs of images in [-1, 1]: grey ({@code [n, 1, h, h]} or {@code [n, h * h]}) or RGB ({@code [n, 3, h, h]}), as a
 * grid or one file each; pixel {@code v} becomes {@code round((v + 1) * 127.5)}, clamped.
 */
public final class SampleGrid {

    private static final int GAP = 2;

    private SampleGrid() {
    }

    /**
     * Writes {@code images} as a grid {@code columns} wide, each image scaled up {@code scale} times, 2-pixel
     * white gaps between them.
     *
     * @throws IllegalArgumentException if the images are not square grey or RGB images or columns/scale are below 1
     */
    public static void write(Path file, INDArray images, int columns, int scale) throws IOException {
        if (columns < 1 || scale < 1) {
            throw new IllegalArgumentException("columns and scale must be >= 1, but were " + columns + " and "
                    + scale);
        }
        Layout layout = Layout.of(images);
        int n = layout.count();
        int side = layout.side();
        int rows = (n + columns - 1) / columns;
        int cell = side * scale + GAP;
        BufferedImage grid = layout.canvas(columns * cell + GAP, rows * cell + GAP);
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                grid.setRGB(x, y, 0xffffff);
            }
        }
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % columns) * cell;
            int y0 = GAP + (i / columns) * cell;
            for (int r = 0; r < side * scale; r++) {
                for (int c = 0; c < side * scale; c++) {
                    layout.paint(grid, x0 + c, y0 + r, i, r / scale, c / scale);
                }
            }
        }
        save(grid, file);
    }

    /**
     * Writes image {@code i} of {@code images} to {@code folder/<prefix><i>.png} at its own size, for every i.
     *
     * @throws IllegalArgumentException if the images are not square grey or RGB images
     */
    public static void writeEach(Path folder, String prefix, INDArray images, int firstIndex) throws IOException {
        Layout layout = Layout.of(images);
        int side = layout.side();
        for (int i = 0; i < layout.count(); i++) {
            BufferedImage image = layout.canvas(side, side);
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    layout.paint(image, c, r, i, r, c);
                }
            }
            save(image, folder.resolve(String.format("%s%06d.png", prefix, firstIndex + i)));
        }
    }

    private static void save(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    /** The images as float values, their count, side and channels. */
    private record Layout(float[] values, int count, int side, int channels) {
        static Layout of(INDArray images) {
            int n = Math.toIntExact(images.size(0));
            int channels = images.rank() == 4 ? (int) images.size(1) : 1;
            long pixels = images.length() / n / channels;
            int side = (int) Math.round(Math.sqrt(pixels));
            boolean square = (long) side * side == pixels && (images.rank() != 4 || images.size(2) == images.size(3));
            if (!square || (channels != 1 && channels != 3) || (images.rank() != 2 && images.rank() != 4)) {
                throw new IllegalArgumentException("images must be square, grey or RGB: [n, 1, h, h], [n, 3, h, h]"
                        + " or [n, h * h], but were " + Arrays.toString(images.shape()));
            }
            float[] values = images.castTo(DataType.FLOAT).dup('c').reshape(images.length()).toFloatVector();
            return new Layout(values, n, side, channels);
        }

        BufferedImage canvas(int width, int height) {
            return new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                    : BufferedImage.TYPE_INT_RGB);
        }

        /** Pixel (row, column) of image i onto (x, y) of {@code target}. */
        void paint(BufferedImage target, int x, int y, int i, int row, int column) {
            int plane = side * side;
            int at = i * channels * plane + row * side + column;
            if (channels == 1) {
                target.getRaster().setSample(x, y, 0, level(values[at]));
                return;
            }
            target.setRGB(x, y, (level(values[at]) << 16) | (level(values[at + plane]) << 8)
                    | level(values[at + 2 * plane]));
        }

        private static int level(float v) {
            return (int) Math.round((Math.max(-1f, Math.min(1f, v)) + 1) * 127.5);
        }
    }
}
