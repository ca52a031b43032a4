#!/usr/bin/python3
"""PyTorch (CPU, float32) peer of the JMH benchmarks in benchmarks/src/main/java/org/wgan/benchmarks.

Times the same models and steps the Java benchmarks time, at 1 and 2 threads, and prints one line per case:

    case=<name> threads=<n> median_ms=<x> p25_ms=<y> p75_ms=<z> n=<k> inner=<m> cpu_ms=<c>

Each of the n samples is the mean time of `inner` consecutive steps (inner is chosen after the warm-up so that
one sample lasts about --sample-s seconds, like a JMH iteration averages its operations); median and quartiles
are over those n samples; cpu_ms is the median process CPU time per step (all threads). Each case builds its
models afresh from a fixed seed. Data are random tensors of the right shapes (nothing is downloaded). Every timed
step does the whole work of the Java operation (draw the batches, zero_grad, forward, backward, optimizer step,
constraint) and nothing else.

Run with Debian's PyTorch: /usr/bin/python3 benchmarks/pytorch/peer.py [--threads 1,2] [--cases REGEX]
[--reps N] [--warmup-s S] [--warmup-steps N] [--sample-s S] [--json out.json] [--list] [--check-only]
"""

import argparse
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time

import torch
from torch import nn

# ---------------------------------------------------------------------------------------------------------------
# Environment checks


def loaded_blas():
    """The BLAS/LAPACK shared objects mapped into this process (after a matrix product has run)."""
    a = torch.randn(256, 256)
    (a @ a).sum().item()
    libraries = set()
    try:
        with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
            for line in maps:
                path = line.split()[-1] if line.split() else ""
                name = os.path.basename(path)
                if ".so" in name and ("blas" in name or "lapack" in name or "mkl" in name):
                    libraries.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libraries)


def blas_check():
    """Returns (ok, text): whether OpenBLAS (or MKL) does torch's matrix products.

    Debian's torch is built with BLAS_INFO=generic: torch.__config__.show() names no BLAS, and libblas.so.3 is
    whatever the alternatives system points at. With the reference BLAS (libblas3) the products are ~10x slower,
    so the libraries actually mapped into the process are checked too.
    """
    config = torch.__config__.show()
    match = re.search(r"BLAS_INFO=([^,\s]+)", config)
    blas_info = match.group(1) if match else "?"
    mapped = loaded_blas()
    openblas = any("openblas" in path for path in mapped) or "openblas" in config.lower()
    mkl = any("mkl" in os.path.basename(path) for path in mapped) or blas_info == "mkl"
    text = "blas_info=%s mapped=%s" % (blas_info, ",".join(mapped) or "none")
    return openblas or mkl, text


def cpu_capability():
    try:
        return torch.backends.cpu.get_cpu_capability()
    except AttributeError:  # torch < 2.0: the build's line "CPU capability usage: ..."
        match = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
        return match.group(1) if match else "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            text = info.read()
    except OSError:
        return "?", "?"
    model = re.search(r"^model name\s*:\s*(.*)$", text, re.M)
    flags = re.search(r"^flags\s*:\s*(.*)$", text, re.M)
    avx512 = "yes" if flags and "avx512f" in flags.group(1).split() else "no"
    return (model.group(1).strip() if model else "?"), avx512


# ---------------------------------------------------------------------------------------------------------------
# Models (each mirrors a DL4J configuration; the comments name it). Initialisation mirrors DL4J's WeightInit:
# XAVIER = normal, variance 2 / (fanIn + fanOut); RELU = normal, variance 2 / fanIn; biases 0; batch norm gamma 1,
# beta 0. (The initialisation does not change the work; it is mirrored so the activations look alike.)


def init_xavier(layer):
    nn.init.xavier_normal_(layer.weight)
    nn.init.zeros_(layer.bias)


def init_relu(layer):
    # kaiming_normal_ with fan_in: variance 2 / fanIn (for ConvTranspose2d torch counts fanIn as nOut * k * k;
    # only the scale of the initial weights depends on it, not the work)
    nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
    nn.init.zeros_(layer.bias)


def mlp(sizes, output=None):
    """Mlp.builder().sizes(sizes) (wgan-dl4j Mlp): dense layers, ReLU between, XAVIER; `output` after the last."""
    layers = []
    for k in range(len(sizes) - 1):
        linear = nn.Linear(sizes[k], sizes[k + 1])
        init_xavier(linear)
        layers.append(linear)
        if k + 2 < len(sizes):
            layers.append(nn.ReLU())
    if output is not None:
        layers.append(output)
    return nn.Sequential(*layers)


def conv_critic(width, dense_init=init_xavier):
    """FashionModels.critic(seed, width, ...) and ConvCriticStepBenchmark's critic (width 64).

    [B, 1, 28, 28] -> conv 4x4 stride 2, ConvolutionMode.Same (DL4J pads ((14-1)*2+4-28)/2 = 1 on each side:
    padding=1 here, 14x14, `width` maps) -> LeakyReLU 0.2 -> conv 4x4 stride 2 Same (padding 1, 7x7, 2*width maps)
    -> LeakyReLU 0.2 -> flatten (c, h, w order, as DL4J's CnnToFeedForwardPreProcessor) -> dense 1, identity.
    Convolutions: WeightInit.RELU; the dense layer: XAVIER in FashionModels, RELU (the network's default) in
    ConvCriticStepBenchmark.
    """
    conv1 = nn.Conv2d(1, width, 4, stride=2, padding=1)
    conv2 = nn.Conv2d(width, 2 * width, 4, stride=2, padding=1)
    dense = nn.Linear(2 * width * 7 * 7, 1)
    init_relu(conv1)
    init_relu(conv2)
    dense_init(dense)
    return nn.Sequential(conv1, nn.LeakyReLU(0.2), conv2, nn.LeakyReLU(0.2), nn.Flatten(1), dense)


def fashion_generator(width, latent=64):
    """FashionModels.generator(seed, 64, width, ...).

    latent [B, 64] -> dense 2w*7*7 (identity, RELU init) -> batch norm over the 2w*7*7 features (a DL4J
    BatchNormalization on a feed-forward activation normalises each feature: BatchNorm1d, not per channel) -> ReLU
    -> reshape [B, 2w, 7, 7] (FeedForwardToCnnPreProcessor, c order) -> transposed conv 4x4 stride 2 padding 1,
    Truncate ((7-1)*2+4-2 = 14) -> batch norm per channel (w) -> ReLU -> transposed conv 4x4 stride 2 padding 1
    (28x28, 1 map, XAVIER) -> tanh. DL4J batch norm: eps 1e-5, decay 0.9 = torch's momentum 0.1.
    """
    dense = nn.Linear(latent, 2 * width * 7 * 7)
    deconv1 = nn.ConvTranspose2d(2 * width, width, 4, stride=2, padding=1)
    deconv2 = nn.ConvTranspose2d(width, 1, 4, stride=2, padding=1)
    init_relu(dense)
    init_relu(deconv1)
    init_xavier(deconv2)
    return nn.Sequential(dense, nn.BatchNorm1d(2 * width * 7 * 7, eps=1e-5, momentum=0.1), nn.ReLU(),
                         nn.Unflatten(1, (2 * width, 7, 7)), deconv1,
                         nn.BatchNorm2d(width, eps=1e-5, momentum=0.1), nn.ReLU(), deconv2, nn.Tanh())


def upsample(x):
    """DL4J's Upsampling2D(2): nearest-neighbour, each pixel repeated over a 2x2 block (the paper's
    UpsampleConv: four copies and depth_to_space)."""
    return nn.functional.interpolate(x, scale_factor=2, mode="nearest")


def mean_pool(x):
    """ResNetLayers.meanPool(): the average of each 2x2 square (SubsamplingLayer AVG, kernel 2, stride 2)."""
    return nn.functional.avg_pool2d(x, 2)


def resnet_conv(n_in, n_out, kernel, he_init):
    """ResNetLayers.conv: stride 1, ConvolutionMode.Same (padding (k - 1) / 2), with a bias; he_init: WeightInit.RELU
    (the paper's he_init 3x3 convolutions), else XAVIER (the 1x1 shortcuts, the generator's output)."""
    conv = nn.Conv2d(n_in, n_out, kernel, padding=(kernel - 1) // 2)
    (init_relu if he_init else init_xavier)(conv)
    return conv


class ResNetUpBlock(nn.Module):
    """ResNetGenerator.upBlock: conv1x1(up(x)) + conv3x3(relu(BN(conv3x3(up(relu(BN(x)))))))."""

    def __init__(self, width):
        super().__init__()
        self.shortcut = resnet_conv(width, width, 1, False)
        self.n1 = nn.BatchNorm2d(width, eps=1e-5, momentum=0.1)
        self.conv1 = resnet_conv(width, width, 3, True)
        self.n2 = nn.BatchNorm2d(width, eps=1e-5, momentum=0.1)
        self.conv2 = resnet_conv(width, width, 3, True)

    def forward(self, x):
        shortcut = self.shortcut(upsample(x))
        y = self.conv1(upsample(nn.functional.relu(self.n1(x))))
        return shortcut + self.conv2(nn.functional.relu(self.n2(y)))


class ResNetGenerator(nn.Module):
    """ResNetGenerator.of(ResNetSpec.cifar10().withWidth(width)) (gan_cifar_resnet.py's Generator, DIM = width):
    latent [B, 128] -> dense 4*4*width (identity, XAVIER) -> reshape [B, width, 4, 4] (FeedForwardToCnnPreProcessor,
    c order) -> 3 up blocks (8, 16, 32) -> BN -> ReLU -> conv 3x3 to 3 (XAVIER) -> tanh. Batch norm per channel,
    eps 1e-5, DL4J's decay 0.9 = torch's momentum 0.1."""

    def __init__(self, width, latent=128, channels=3, base=4, blocks=3):
        super().__init__()
        self.width = width
        self.base = base
        self.input = nn.Linear(latent, width * base * base)
        init_xavier(self.input)
        self.blocks = nn.ModuleList(ResNetUpBlock(width) for _ in range(blocks))
        self.output_n = nn.BatchNorm2d(width, eps=1e-5, momentum=0.1)
        self.output = resnet_conv(width, channels, 3, False)

    def forward(self, z):
        x = self.input(z).view(z.size(0), self.width, self.base, self.base)
        for block in self.blocks:
            x = block(x)
        return torch.tanh(self.output(nn.functional.relu(self.output_n(x))))


class ResNetCritic(nn.Module):
    """ResNetCritic.of(ResNetSpec.cifar10().withWidth(width)) (gan_cifar_resnet.py's Discriminator, DIM = width, no
    normalisation), vertex for vertex:
        d1 = conv1x1(pool(x)) + pool(conv3x3(relu(conv3x3(x))))                   32 -> 16
        d2 = pool(conv1x1(d1)) + pool(conv3x3(relu(conv3x3(relu(d1)))))           16 -> 8
        d3 = d2 + conv3x3(relu(conv3x3(relu(d2)))), d4 likewise                   8
        -> relu -> global mean pooling -> dense 1 (XAVIER)
    The activations are not in place: the shortcuts read the blocks' inputs too."""

    def __init__(self, width, channels=3):
        super().__init__()
        self.d1_shortcut = resnet_conv(channels, width, 1, False)
        self.d1_conv1 = resnet_conv(channels, width, 3, True)
        self.d1_conv2 = resnet_conv(width, width, 3, True)
        self.d2_shortcut_conv = resnet_conv(width, width, 1, False)
        self.d2_conv1 = resnet_conv(width, width, 3, True)
        self.d2_conv2 = resnet_conv(width, width, 3, True)
        # d3 and d4: (conv1, conv2)
        self.plain = nn.ModuleList(nn.ModuleList([resnet_conv(width, width, 3, True),
                                                  resnet_conv(width, width, 3, True)]) for _ in range(2))
        self.output = nn.Linear(width, 1)
        init_xavier(self.output)

    def forward(self, x):
        relu = nn.functional.relu
        x = self.d1_shortcut(mean_pool(x)) + mean_pool(self.d1_conv2(relu(self.d1_conv1(x))))
        x = mean_pool(self.d2_shortcut_conv(x)) + mean_pool(self.d2_conv2(relu(self.d2_conv1(relu(x)))))
        for conv1, conv2 in self.plain:
            x = x + conv2(relu(conv1(relu(x))))
        return self.output(relu(x).mean((2, 3)))


class FlatToImage(nn.Module):
    """[B, 784] -> [B, 1, 28, 28]: the critic's InputType.convolutionalFlat(28, 28, 1) preprocessor."""

    def forward(self, x):
        return x.view(x.size(0), 1, 28, 28)


def trainable(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def dl4j_count(model):
    """DL4J's numParams(): the trainable parameters plus each batch norm's running mean and variance (DL4J keeps
    them in the parameter vector, torch in buffers)."""
    extra = sum(m.running_mean.numel() + m.running_var.numel() for m in model.modules()
                if isinstance(m, nn.modules.batchnorm._BatchNorm))
    return trainable(model) + extra


# DL4J numParams() of the Java models, from their configurations (benchmarks/pytorch/ParamCounts.java prints them
# from the Java classes themselves):
#   MLP 2-512-512-512-1: (2*512+512) + 2*(512*512+512) + (512+1) = 527,361
#   MLP 2-512-512-512-2: (2*512+512) + 2*(512*512+512) + (512*2+2) = 527,874
#   MLP 2-784 tanh: 2*784 + 784 = 2,352
#   critic of width w: (16w + w) + (32w^2 + 2w) + (98w + 1) = 32w^2 + 117w + 1      (w 32: 36,513; w 64: 138,561)
#   generator of width w: (64*98w + 98w) + 4*98w [batch norm: gamma, beta, mean, var] + (32w^2 + w) + 4w
#                         + (16w + 1) = 32w^2 + 6783w + 1                          (w 32: 249,825; w 64: 565,185)
#   of which trainable (no running mean and variance): 32w^2 + 6585w + 1           (w 32: 243,489; w 64: 552,513)
#   ResNet generator of DIM w (latent 128, 4x4 base, 3 up blocks, 3 channels): (128*16w + 16w) + 3 * [(w^2 + w)
#                         + 4w + (9w^2 + w) + 4w + (9w^2 + w)] + 4w + (27w + 3) = 57w^2 + 2128w + 3
#                         (w 64: 369,667; w 128: 1,206,275), trainable 57w^2 + 2114w + 3 (w 128: 1,204,483)
#   ResNet critic of DIM w: (3w + w) + (27w + w) + (9w^2 + w) + (w^2 + w) + 6 (9w^2 + w) + (w + 1) = 64w^2 + 41w + 1
#                         (w 64: 264,769; w 128: 1,053,825)
JAVA_PARAMS = {
    "mlp critic 2-512-512-512-1": 527361,
    "mlp generator 2-512-512-512-2": 527874,
    "conv benchmark generator 2-784 tanh": 2352,
    "conv benchmark critic w64": 138561,
    "conv critic w32": 36513,
    "conv critic w64": 138561,
    "fashion generator w32": 249825,
    "fashion generator w64": 565185,
    "resnet generator dim64": 369667,
    "resnet generator dim128": 1206275,
    "resnet critic dim64": 264769,
    "resnet critic dim128": 1053825,
}


def check_parameters(verbose=True):
    """Builds every model, prints its parameter counts next to the Java model's; False if one differs."""
    torch.manual_seed(0)
    models = {
        "mlp critic 2-512-512-512-1": mlp([2, 512, 512, 512, 1]),
        "mlp generator 2-512-512-512-2": mlp([2, 512, 512, 512, 2]),
        "conv benchmark generator 2-784 tanh": mlp([2, 784], nn.Tanh()),
        "conv benchmark critic w64": nn.Sequential(FlatToImage(), conv_critic(64, dense_init=init_relu)),
        "conv critic w32": conv_critic(32),
        "conv critic w64": conv_critic(64),
        "fashion generator w32": fashion_generator(32),
        "fashion generator w64": fashion_generator(64),
        "resnet generator dim64": ResNetGenerator(64),
        "resnet generator dim128": ResNetGenerator(128),
        "resnet critic dim64": ResNetCritic(64),
        "resnet critic dim128": ResNetCritic(128),
    }
    ok = True
    for name, model in models.items():
        java = JAVA_PARAMS[name]
        counted = dl4j_count(model)
        same = counted == java
        ok &= same
        if verbose:
            print("params model=%s torch_trainable=%d torch_dl4j_count=%d java_numParams=%d %s"
                  % (name.replace(" ", "_"), trainable(model), counted, java, "OK" if same else "MISMATCH"))
    # output shapes, against the Java models' [B, 1] scores and [B, 1, 28, 28] images
    with torch.no_grad():
        for width in (32, 64):
            image = fashion_generator(width)(torch.randn(4, 64))
            score = conv_critic(width)(image)
            shapes_ok = tuple(image.shape) == (4, 1, 28, 28) and tuple(score.shape) == (4, 1)
            ok &= shapes_ok
            if verbose:
                print("shapes width=%d generator=%s critic=%s %s" % (width, list(image.shape), list(score.shape),
                                                                    "OK" if shapes_ok else "MISMATCH"))
        # the ResNet's [B, 3, 32, 32] images and [B, 1] scores
        image = ResNetGenerator(64)(torch.randn(4, 128))
        score = ResNetCritic(64)(image)
        shapes_ok = tuple(image.shape) == (4, 3, 32, 32) and tuple(score.shape) == (4, 1)
        ok &= shapes_ok
        if verbose:
            print("shapes resnet dim=64 generator=%s critic=%s %s" % (list(image.shape), list(score.shape),
                                                                      "OK" if shapes_ok else "MISMATCH"))
    return ok


# ---------------------------------------------------------------------------------------------------------------
# Steps


def adam(model, lr, beta1, beta2):
    # Optimizers.adam(lr, beta1, beta2): DL4J Adam with epsilon 1e-8, no weight decay
    return torch.optim.Adam(model.parameters(), lr=lr, betas=(beta1, beta2), eps=1e-8)


def rmsprop(model):
    # Optimizers.wgan(): DL4J RmsProp(5e-5, decay 0.99, epsilon 1e-8), no momentum
    return torch.optim.RMSprop(model.parameters(), lr=5e-5, alpha=0.99, eps=1e-8)


class Gan:
    """A critic, a generator, their optimizers and the step rules of org.wgan.core.training.TrainingLoop."""

    def __init__(self, critic, generator, critic_opt, generator_opt, latent, real, batch, penalty_weight=None,
                 clip=None):
        self.critic = critic
        self.generator = generator
        self.critic_opt = critic_opt
        self.generator_opt = generator_opt
        self.latent = latent
        self.real = real  # a function of the batch size returning a real batch
        self.batch = batch
        self.penalty_weight = penalty_weight
        self.clip = clip
        self.critic_params = list(critic.parameters())
        critic.train()
        generator.train()

    def critic_step(self):
        """TrainingLoop.criticUpdate: x ~ real, x~ = G(z) (training-mode forward, no parameter gradient needed),
        critic on the concatenated batch, Wasserstein loss mean C(x~) - mean C(x) [+ gradient penalty], backward,
        optimizer update [, clipping]."""
        b = self.batch
        real = self.real(b)
        with torch.no_grad():
            fake = self.generator(torch.randn(b, self.latent)).view_as(real)
        self.critic_opt.zero_grad(set_to_none=True)
        scores = self.critic(torch.cat((real, fake), 0))
        loss = scores[b:].mean() - scores[:b].mean()
        if self.penalty_weight is not None:
            # GradientPenalty: x^ = x + alpha (x~ - x), alpha ~ U[0, 1) per sample; w * mean((||grad x^ C|| - 1)^2)
            alpha = torch.rand((b,) + (1,) * (real.dim() - 1))
            points = (real + alpha * (fake - real)).requires_grad_(True)
            gradient, = torch.autograd.grad(self.critic(points).sum(), points, create_graph=True)
            norms = gradient.flatten(1).norm(2, dim=1)
            loss = loss + self.penalty_weight * ((norms - 1) ** 2).mean()
        loss.backward()
        self.critic_opt.step()
        if self.clip is not None:
            # LipschitzConstraints.weightClipping(): every critic parameter clamped to [-0.01, 0.01]
            with torch.no_grad():
                for p in self.critic_params:
                    p.clamp_(-self.clip, self.clip)
        return loss

    def generator_update(self):
        """TrainingLoop.generatorUpdate: z ~ N(0, I), G(z) with gradients, -mean C(G(z)) back through the critic's
        input gradient only (critic.backwardToInput: no weight-gradient products), optimizer update of G."""
        for p in self.critic_params:
            p.requires_grad_(False)
        self.generator_opt.zero_grad(set_to_none=True)
        loss = -self.critic(self.generator(torch.randn(self.batch, self.latent))).mean()
        loss.backward()
        self.generator_opt.step()
        for p in self.critic_params:
            p.requires_grad_(True)
        return loss

    def benchmark_generator_step(self):
        """CriticStepBenchmark.generatorStep: as generator_update, but the benchmark calls critic.backward, which
        also computes the critic's weight gradients (written to its gradient buffer, never applied); here they go
        to freshly zeroed .grad tensors and are never applied either."""
        self.generator_opt.zero_grad(set_to_none=True)
        self.critic_opt.zero_grad(set_to_none=True)
        loss = -self.critic(self.generator(torch.randn(self.batch, self.latent))).mean()
        loss.backward()
        self.generator_opt.step()
        return loss

    def iteration(self, critic_steps=5):
        """WganTrainer.step(): 5 critic updates, then one generator update."""
        for _ in range(critic_steps):
            self.critic_step()
        return self.generator_update()


def eight_gaussians(rows, seed=5):
    """ToyDatasets.eightGaussians(): centres 2 * (unit vectors at multiples of 45 degrees) / 1.414, std
    0.02 / 1.414."""
    generator = torch.Generator().manual_seed(seed)
    s = math.sqrt(0.5)
    unit = torch.tensor([[1, 0], [-1, 0], [0, 1], [0, -1], [s, s], [s, -s], [-s, s], [-s, -s]], dtype=torch.float32)
    centres = unit[torch.randint(0, 8, (rows,), generator=generator)] * 2 / 1.414
    return centres + torch.randn(rows, 2, generator=generator) * (0.02 / 1.414)


def toy_sampler(batch):
    """The toy benchmarks draw fresh 8-Gaussian samples each step (GaussianMixture.next); here a batch is gathered
    at random rows of a pool of 16 batches of them (a gather of B x 2 floats: microseconds)."""
    pool = eight_gaussians(16 * batch)

    def draw(b):
        return pool[torch.randint(0, pool.size(0), (b,))]
    return draw


def conv_benchmark_sampler(batch):
    """ConvCriticStepBenchmark: a pool of 8 x B rows of U[-1, 1) x 784; each step takes rows [k B, (k+1) B) for a
    random k in [0, 8)."""
    generator = torch.Generator().manual_seed(5)
    pool = torch.rand(8 * batch, 784, generator=generator) * 2 - 1
    pick = random.Random(3)

    def draw(b):
        start = pick.randrange(8) * b
        return pool[start:start + b]
    return draw


def fashion_sampler(batch, image_shape=(1, 28, 28)):
    """FashionMnist.samples(TRAIN): B images drawn at random from the training images, [B, 1, 28, 28] in [-1, 1];
    here from a pool of 4096 random images (the draw is a gather of B images, as in Java). The ResNet's 32x32x3
    images come from a pool of the same kind (image_shape (3, 32, 32))."""
    generator = torch.Generator().manual_seed(5)
    pool = torch.rand((4096,) + tuple(image_shape), generator=generator) * 2 - 1

    def draw(b):
        return pool[torch.randint(0, pool.size(0), (b,))]
    return draw


# ---------------------------------------------------------------------------------------------------------------
# Cases: name -> (Java benchmark it corresponds to, factory of the timed callable)


def toy_gan(batch, constraint):
    """CriticStepBenchmark.setUp: critic 2-512-512-512-1 (seed 2), generator 2-512-512-512-2 (seed 1), ReLU,
    XAVIER; Adam(1e-4, 0.5, 0.9) unconstrained and penalised (penaltyWeight param: 0.1), RMSProp 5e-5 with
    clipping; real samples: 8 Gaussians; latent N(0, I) of 2."""
    torch.manual_seed(1)
    generator = mlp([2, 512, 512, 512, 2])
    torch.manual_seed(2)
    critic = mlp([2, 512, 512, 512, 1])
    clipping = constraint == "clipping"
    critic_opt = rmsprop(critic) if clipping else adam(critic, 1e-4, 0.5, 0.9)
    generator_opt = rmsprop(generator) if clipping else adam(generator, 1e-4, 0.5, 0.9)
    return Gan(critic, generator, critic_opt, generator_opt, 2, toy_sampler(batch), batch,
               penalty_weight=0.1 if constraint == "penalty" else None, clip=0.01 if clipping else None)


def conv_gan(batch, constraint):
    """ConvCriticStepBenchmark.setUp: critic conv 64 / conv 128 / dense 1 (seed 2, flat input reshaped to
    [B, 1, 28, 28]), generator Mlp 2-784 tanh (seed 1), both Adam(1e-4, 0, 0.9); penalty weight 10; real rows
    from the pool; latent N(0, I) of 2."""
    torch.manual_seed(1)
    generator = mlp([2, 784], nn.Tanh())
    torch.manual_seed(2)
    critic = nn.Sequential(FlatToImage(), conv_critic(64, dense_init=init_relu))
    return Gan(critic, generator, adam(critic, 1e-4, 0.0, 0.9), adam(generator, 1e-4, 0.0, 0.9), 2,
               conv_benchmark_sampler(batch), batch, penalty_weight=10.0 if constraint == "penalty" else None)


def fashion_gan(width, batch=64):
    """FashionTraining.open with Objective.WGAN_GP: FashionModels.generator(seed, 64, width, Optimizers.wganGp()),
    FashionModels.critic(seed + 1, width, Optimizers.wganGp()), gradient penalty 10, 5 critic steps, latent
    N(0, I) of 64."""
    torch.manual_seed(1)
    generator = fashion_generator(width)
    torch.manual_seed(2)
    critic = conv_critic(width)
    return Gan(critic, generator, adam(critic, 1e-4, 0.0, 0.9), adam(generator, 1e-4, 0.0, 0.9), 64,
               fashion_sampler(batch), batch, penalty_weight=10.0)


def resnet_gan(width, batch=64):
    """Recipes.resnetWganGp(width): ResNetGenerator (seed 1) and ResNetCritic (seed 2) of
    ResNetSpec.cifar10().withWidth(width), Adam (1e-4, 0, 0.9) for both, gradient penalty 10, 5 critic steps,
    latent N(0, I) of 128, real batches of [B, 3, 32, 32] in [-1, 1]."""
    torch.manual_seed(1)
    generator = ResNetGenerator(width)
    torch.manual_seed(2)
    critic = ResNetCritic(width)
    return Gan(critic, generator, adam(critic, 1e-4, 0.0, 0.9), adam(generator, 1e-4, 0.0, 0.9), 128,
               fashion_sampler(batch, (3, 32, 32)), batch, penalty_weight=10.0)


def build_cases():
    cases = []  # (name, java benchmark, factory returning the timed callable)
    for width in (32, 64):
        # The Java counterpart is FashionIterationBenchmark: WganTrainer.step() as FashionTraining wires it
        # (fashion-gan --objective WGAN_GP --width <w> --batch 64); see benchmarks/pytorch/README.md.
        cases.append(("fashion_wgangp_iteration_w%d_b64" % width,
                      "FashionIterationBenchmark.iteration width=%d" % width,
                      lambda w=width: fashion_gan(w).iteration))
    for width in (64, 128):
        cases.append(("resnet_wgangp_iteration_dim%d_b64" % width,
                      "ResNetIterationBenchmark.iteration dim=%d" % width,
                      lambda w=width: resnet_gan(w).iteration))
    for constraint in ("unconstrained", "penalty"):
        cases.append(("conv_critic_step_%s_b64" % constraint,
                      "ConvCriticStepBenchmark.criticStep batchSize=64 constraint=%s" % constraint,
                      lambda c=constraint: conv_gan(64, c).critic_step))
    for batch in (64, 256):
        for constraint in ("unconstrained", "clipping", "penalty"):
            cases.append(("toy_critic_step_%s_b%d" % (constraint, batch),
                          "CriticStepBenchmark.criticStep batchSize=%d constraint=%s" % (batch, constraint),
                          lambda b=batch, c=constraint: toy_gan(b, c).critic_step))
        cases.append(("toy_generator_step_b%d" % batch,
                      "CriticStepBenchmark.generatorStep batchSize=%d constraint=unconstrained" % batch,
                      lambda b=batch: toy_gan(b, "unconstrained").benchmark_generator_step))
        for constraint in ("unconstrained", "clipping", "penalty"):
            cases.append(("toy_iteration_%s_b%d" % (constraint, batch),
                          "CriticStepBenchmark.iteration batchSize=%d constraint=%s" % (batch, constraint),
                          lambda b=batch, c=constraint: toy_gan(b, c).iteration))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# Timing


def percentile(sorted_values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def time_case(step, reps, warmup_s, sample_s, min_warmup_steps=3):
    # warm-up: at least min_warmup_steps steps and warmup_s seconds
    start = time.perf_counter()
    steps = 0
    while steps < min_warmup_steps or time.perf_counter() - start < warmup_s:
        step()
        steps += 1
    per_step = (time.perf_counter() - start) / steps
    inner = max(1, int(round(sample_s / per_step)))
    samples = []
    cpu = []
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(inner):
            step()
        samples.append((time.perf_counter() - t0) * 1e3 / inner)
        cpu.append((time.process_time() - c0) * 1e3 / inner)
    ordered = sorted(samples)
    # cpu_ms: the process's CPU time per step (all its threads). On a loaded machine wall time includes the time
    # the process waited for a core; at 1 thread cpu_ms is close to the time the step would take on an idle core.
    return {"median_ms": statistics.median(ordered), "p25_ms": percentile(ordered, 0.25),
            "p75_ms": percentile(ordered, 0.75), "min_ms": ordered[0], "max_ms": ordered[-1], "n": reps,
            "inner": inner, "warmup_steps": steps, "cpu_median_ms": statistics.median(cpu), "samples_ms": samples,
            "cpu_samples_ms": cpu}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", default="1,2", help="comma-separated intra-op thread counts (default 1,2)")
    parser.add_argument("--cases", default=".", help="regular expression on the case names (default: all)")
    parser.add_argument("--reps", type=int, default=10, help="timed samples per case (default 10)")
    parser.add_argument("--warmup-s", type=float, default=3.0, help="warm-up seconds per case (default 3)")
    parser.add_argument("--warmup-steps", type=int, default=3,
                        help="warm-up steps per case at least (default 3; 1 for a smoke test of the ResNet cases)")
    parser.add_argument("--sample-s", type=float, default=1.0, help="seconds per timed sample (default 1)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--list", action="store_true", help="list the cases and their Java benchmarks, and exit")
    parser.add_argument("--check-only", action="store_true", help="print the checks (BLAS, parameters) and exit")
    parser.add_argument("--flush-denormal", action="store_true",
                        help="torch.set_flush_denormal(True): subnormal floats become zero, as the library's "
                             "optimizer step flushes its moments (-Dwgan.subnormalMoments, README)")
    args = parser.parse_args(argv)

    cases = [c for c in build_cases() if re.search(args.cases, c[0])]
    if args.list:
        for name, java, _ in cases:
            print("case=%s java=%s" % (name, java.replace(" ", "_")))
        return 0
    threads = [int(t) for t in args.threads.split(",") if t]

    torch.set_num_interop_threads(1)  # as the DJL peer (ai.djl.pytorch.num_interop_threads=1)
    flush = args.flush_denormal and torch.set_flush_denormal(True)
    if args.flush_denormal and not flush:
        print("WARNING: this CPU does not support torch.set_flush_denormal", file=sys.stderr)
    model, avx512 = cpu_model()
    print("# torch=%s python=%s cpu=%r avx512f=%s cores=%d mkldnn=%s capability=%s flush_denormal=%s"
          % (torch.__version__, platform.python_version(), model, avx512, os.cpu_count(),
             torch.backends.mkldnn.is_available(), cpu_capability(), bool(flush)))
    ok, text = blas_check()
    print("# blas %s %s" % ("OK" if ok else "NOT-OPENBLAS", text))
    if not ok:
        banner = "!" * 100
        print(banner, file=sys.stderr)
        print("WARNING: torch's matrix products do not run on OpenBLAS (or MKL): %s" % text, file=sys.stderr)
        print("Debian's python3-torch then uses the reference BLAS, about 10x slower; install libopenblas0-openmp"
              " (update-alternatives --config libblas.so.3-x86_64-linux-gnu). Timings below are NOT comparable.",
              file=sys.stderr)
        print(banner, file=sys.stderr)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print("# loadavg=%.2f,%.2f,%.2f (other processes on the machine make these timings noisy)" % load)
    params_ok = check_parameters()
    if not params_ok:
        print("WARNING: a model's parameter count differs from the Java model's", file=sys.stderr)
    if args.check_only:
        return 0 if ok and params_ok else 1

    results = []
    for n in threads:
        torch.set_num_threads(n)
        for name, java, factory in cases:
            step = factory()
            r = time_case(step, args.reps, args.warmup_s, args.sample_s, args.warmup_steps)
            print("case=%s threads=%d median_ms=%.3f p25_ms=%.3f p75_ms=%.3f n=%d inner=%d cpu_ms=%.3f"
                  % (name, n, r["median_ms"], r["p25_ms"], r["p75_ms"], r["n"], r["inner"], r["cpu_median_ms"]),
                  flush=True)
            r.update({"case": name, "threads": n, "java": java})
            results.append(r)
            del step
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"torch": torch.__version__, "cpu": model, "avx512f": avx512, "blas_ok": ok, "blas": text,
                       "params_ok": params_ok, "loadavg": load, "flush_denormal": bool(flush), "results": results},
                      out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
