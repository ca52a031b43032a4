package org.wgan.examples.fashion;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A PNG grid of grey images in [-1, 1] ({@code [n, 1, h, w]} or {@code [n, h * w]} with a given side). */
final class SampleGrid {

    private static final int GAP = 2;

    private SampleGrid() {
    }

    /**
     * Writes {@code images} as a grid {@code columns} wide, each image scaled up {@code scale} times, 2-pixel
     * white gaps between them.
     *
     * @throws IllegalArgumentException if the images are not square grey images or columns/scale are below 1
     */
    static void write(Path file, INDArray images, int columns, int scale) throws IOException {
        if (columns < 1 || scale < 1) {
            throw new IllegalArgumentException("columns and scale must be >= 1, but were " + columns + " and "
                    + scale);
        }
        int n = Math.toIntExact(images.size(0));
        long pixels = images.length() / n;
        int side = (int) Math.round(Math.sqrt(pixels));
        if ((long) side * side != pixels || (images.rank() == 4 && images.size(1) != 1)) {
            throw new IllegalArgumentException("images must be square and grey, [n, 1, h, h] or [n, h * h], but were "
                    + java.util.Arrays.toString(images.shape()));
        }
        float[] values = images.castTo(DataType.FLOAT).dup('c').reshape(images.length()).toFloatVector();
        int rows = (n + columns - 1) / columns;
        int cell = side * scale + GAP;
        BufferedImage grid = new BufferedImage(columns * cell + GAP, rows * cell + GAP, BufferedImage.TYPE_BYTE_GRAY);
        var raster = grid.getRaster();
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                raster.setSample(x, y, 0, 255);
            }
        }
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % columns) * cell;
            int y0 = GAP + (i / columns) * cell;
            for (int r = 0; r < side * scale; r++) {
                for (int c = 0; c < side * scale; c++) {
                    float v = values[i * side * side + (r / scale) * side + c / scale];
                    int grey = (int) Math.round((Math.max(-1f, Math.min(1f, v)) + 1) * 127.5);
                    raster.setSample(x0 + c, y0 + r, 0, grey);
                }
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (!ImageIO.write(grid, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
