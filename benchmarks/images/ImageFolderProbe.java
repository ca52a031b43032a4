import java.nio.file.Path;
import java.util.Random;
import org.wgan.images.ImageFolderSource;
public class ImageFolderProbe {
    public static void main(String[] a) throws Exception {
        Path folder = Path.of(a[0]); int size = Integer.parseInt(a[1]); boolean rgb = a[2].equals("rgb");
        int threads = Integer.parseInt(a[3]);
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            ImageFolderSource.Builder b = ImageFolderSource.builder(folder).size(size).decodeThreads(threads);
            if (rgb) b.rgb();
            ImageFolderSource s = b.build();
            double sec = (System.nanoTime() - t0) / 1e9;
            Random r = new Random(1);
            long t1 = System.nanoTime();
            for (int i = 0; i < 200; i++) s.next(64, r);
            double perBatch = (System.nanoTime() - t1) / 1e6 / 200;
            System.out.printf("round %d: %d images in %.2f s = %.0f images/s (%d threads); next(64) %.3f ms%n", round, s.imageCount(), sec, s.imageCount() / sec, threads, perBatch);
        }
    }
}
