# writes Fashion-MNIST images (Debian's dataset-fashion-mnist) as 8-bit grey PNGs: out/<class>/<index>.png
import gzip, struct, zlib, sys, os
names = ["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
def png(path, w, h, rows):
    raw = b"".join(b"\x00" + r for r in rows)
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)
split, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
d = "/usr/share/datasets/fashion-mnist/"
imgs = gzip.open(d + split + "-images-idx3-ubyte.gz").read()[16:]
labs = gzip.open(d + split + "-labels-idx1-ubyte.gz").read()[8:]
for i in range(count):
    folder = os.path.join(out, names[labs[i]]); os.makedirs(folder, exist_ok=True)
    b = imgs[i * 784:(i + 1) * 784]
    png(os.path.join(folder, "%05d.png" % i), 28, 28, [b[r * 28:(r + 1) * 28] for r in range(28)])
