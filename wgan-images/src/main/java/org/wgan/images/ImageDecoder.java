package org.wgan.images;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.geometry.Positions;

/**
 * One file to {@code S x S} 8-bit pixels: ImageIO decodes (the JDK's PNG, BMP and GIF readers, TwelveMonkeys' JPEG
 * reader, which also reads CMYK and YCCK files), the pixels go to sRGB {@code TYPE_INT_RGB} without Java2D's colour
 * conversions (a grey raster's samples are copied, scaled from its bit depth; anything else through
 * {@code getRGB}), and Thumbnailator scales them. An image already {@code S x S} is copied as it is.
 *
 * <p>A reader's warning of damage (a truncated JPEG decodes to a partial image with "Premature end of JPEG file")
 * makes the file unusable: a half-grey picture would train the critic on a defect.
 */
final class ImageDecoder {

    /**
     * Reader warnings that mean the pixels are incomplete (TwelveMonkeys: "Truncated File - Missing EOI marker"; the
     * JDK's JPEG decoder: "Premature end of JPEG file", "Corrupt JPEG data"); others, such as TwelveMonkeys' "No
     * embedded ICC color profile" on a CMYK file, are not damage.
     */
    private static final Pattern DAMAGE = Pattern.compile("(?i)premature|corrupt|truncat|unexpected end|bogus");

    /** Why a file was not used. */
    static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    private final int size;
    private final boolean rgb;
    private final ImageFolderSource.Fit fit;

    ImageDecoder(int size, boolean rgb, ImageFolderSource.Fit fit) {
        this.size = size;
        this.rgb = rgb;
        this.fit = fit;
    }

    /**
     * The file's pixels, {@code channels x S x S} bytes (0..255; for grey {@code 0.299 R + 0.587 G + 0.114 B},
     * rounded, the ITU-R 601 luma), written at {@code out[offset..]}.
     *
     * @throws Unusable naming why the file cannot be used
     */
    void decodeInto(Path file, byte[] out, int offset) throws Unusable {
        BufferedImage image = read(file);
        requireSize(image.getWidth(), image.getHeight());
        int[] argb;
        try {
            argb = pixels(fitted(toRgb(image)));
        } catch (RuntimeException e) {
            // a colour model Java2D cannot convert
            throw new Unusable("unreadable pixels (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            if (rgb) {
                out[offset + i] = (byte) r;
                out[offset + plane + i] = (byte) g;
                out[offset + 2 * plane + i] = (byte) b;
            } else {
                out[offset + i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
    }

    /**
     * Checks what can be checked without decoding the pixels: a reader knows the file and its header gives a size
     * of at least half of S on each side (streamed sets; a damaged body shows only when decoded).
     *
     * @throws Unusable naming why the file cannot be used
     */
    void checkHeader(Path file) throws Unusable {
        withReader(file, reader -> {
            requireSize(reader.getWidth(0), reader.getHeight(0));
            return null;
        });
    }

    /** Refuses an image under half of S on a side: scaled up more than 2x it would be mostly interpolation. */
    private void requireSize(int width, int height) throws Unusable {
        if (width * 2 < size || height * 2 < size) {
            throw new Unusable(width + "x" + height + ", smaller than half of the size " + size);
        }
    }

    private static BufferedImage read(Path file) throws Unusable {
        return withReader(file, reader -> {
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> {
                if (DAMAGE.matcher(warning).find()) {
                    warnings.add(warning);
                }
            });
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new Unusable("damaged (" + reader.getFormatName() + " reader: " + warnings.get(0) + ")");
            }
            return image;
        });
    }

    /** What is done with a file's reader, its input set. */
    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException, Unusable;
    }

    /** Runs {@code work} on the first reader that knows the file's content; reader failures become Unusable. */
    private static <T> T withReader(Path file, ReaderWork<T> work) throws Unusable {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new Unusable("cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new Unusable("not a PNG, JPEG, BMP or GIF image (no image reader knows its content)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return work.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // readers throw IIOException for damaged data, and some IllegalArgumentException or
            // ArrayIndexOutOfBoundsException for data they do not expect
            throw new Unusable("unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** sRGB pixels of {@code image}, with grey rasters copied sample for sample (Java2D would apply a gamma). */
    private static BufferedImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        int[] argb;
        if (model.getNumColorComponents() == 1 && !(model instanceof IndexColorModel)) {
            int bits = model.getComponentSize(0);
            double scale = 255.0 / ((1L << bits) - 1);
            int[] samples = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            argb = new int[samples.length];
            for (int i = 0; i < samples.length; i++) {
                int g = (int) Math.round(samples[i] * scale);
                argb[i] = (g << 16) | (g << 8) | g;
            }
        } else if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        } else if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && bytes.getData().length == width * height * 3) {
            // what the JPEG readers return: the bytes as they are, without getRGB's per-pixel colour-model calls
            byte[] bgr = bytes.getData();
            argb = new int[width * height];
            for (int i = 0; i < argb.length; i++) {
                argb[i] = ((bgr[3 * i + 2] & 0xff) << 16) | ((bgr[3 * i + 1] & 0xff) << 8) | (bgr[3 * i] & 0xff);
            }
        } else {
            argb = image.getRGB(0, 0, width, height, null, 0, width);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        System.arraycopy(argb, 0, target, 0, argb.length);
        return out;
    }

    /** The {@code S x S} pixels as {@code 0xRRGGBB}: an unshared TYPE_INT_RGB raster's own array, else getRGB. */
    private int[] pixels(BufferedImage square) {
        if (square.getType() == BufferedImage.TYPE_INT_RGB
                && square.getRaster().getDataBuffer() instanceof DataBufferInt ints
                && ints.getData().length == size * size && square.getRaster().getSampleModelTranslateX() == 0
                && square.getRaster().getSampleModelTranslateY() == 0) {
            return ints.getData();
        }
        return square.getRGB(0, 0, size, size, null, 0, size);
    }

    private BufferedImage fitted(BufferedImage image) throws Unusable {
        if (image.getWidth() == size && image.getHeight() == size) {
            return image;
        }
        try {
            if (fit == ImageFolderSource.Fit.CROP) {
                return Thumbnails.of(image).size(size, size).crop(Positions.CENTER).asBufferedImage();
            }
            BufferedImage scaled = Thumbnails.of(image).size(size, size).asBufferedImage();
            BufferedImage padded = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            int x = (size - scaled.getWidth()) / 2;
            int y = (size - scaled.getHeight()) / 2;
            padded.setRGB(x, y, scaled.getWidth(), scaled.getHeight(),
                    scaled.getRGB(0, 0, scaled.getWidth(), scaled.getHeight(), null, 0, scaled.getWidth()), 0,
                    scaled.getWidth());
            return padded;
        } catch (IOException e) {
            throw new Unusable("could not be resized (" + e.getMessage() + ")");
        }
    }
}
