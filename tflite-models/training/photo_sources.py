"""Pinned sources of clean photographs for the photo denoiser.

Debian bookworm/main wallpaper packages (versions and .deb SHA256 as ``apt-cache show``
reported on 2026-11-21) and images bundled in Python wheels. Only real photographs are
listed: every file below was looked at on a contact sheet and artwork (renders, gradients,
logos, paintings, polygons) was left out. Wallpapers are often shallow-depth-of-field JPEGs
at 2-5 K pixels, so each is downscaled (``factor``) before it serves as a clean target:
downscaling averages away JPEG blocking and sensor noise that would otherwise be learnt as
"clean".
"""

from __future__ import annotations

import dataclasses

from .sources import Package, _pkg


@dataclasses.dataclass(frozen=True)
class PhotoFile:
    """One photograph inside a package, with the downscale factor applied before use."""

    package: Package
    path: str  # relative to the extracted package root
    factor: int

    @property
    def photo_id(self) -> str:
        stem = self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if "/contents/images/" in self.path:  # plasma: <Name>/contents/images/<WxH>.ext
            stem = self.path.split("/wallpapers/")[1].split("/")[0]
        return f"{self.package.name}/{stem}"


PLASMA = _pkg("plasma-workspace-wallpapers", "4:5.27.5-2",
              "32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b",
              "./usr/share/wallpapers/*/contents/images/*")
LOMIRI_16 = _pkg("lomiri-wallpapers-16.04", "20.04.0-2",
                 "a99ff6a3bfe451e4cc0682ecb3cc82e71740626d59e4845ae34a0a0e45421eab",
                 "./usr/share/backgrounds/*")
LOMIRI_20 = _pkg("lomiri-wallpapers-20.04", "20.04.0-2",
                 "d44e89b8473aafe64a5b678f014862dc31335aaaf18665c544d985d854f1a709",
                 "./usr/share/backgrounds/*")
MATE = _pkg("mate-backgrounds", "1.26.0-1",
            "7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04",
            "./usr/share/backgrounds/mate/nature/*")
LXQT = _pkg("lxqt-themes", "1.2.0-1",
            "d518df36b515b09d36cb00b12645dd8ce170bb82bb0966297741905ce3edc8e1",
            "./usr/share/lxqt/wallpapers/*")
PALAPELI = _pkg("palapeli-data", "4:22.12.3-1",
                "69a15dce2ac25ed8708ac518cd0cee5f4eb0c70ed15da2fdb8899a19ac0ee058",
                "./usr/share/palapeli/collection/*")

PACKAGES = (PLASMA, LOMIRI_16, LOMIRI_20, MATE, LXQT, PALAPELI)


def _factor(long_side: int) -> int:
    """2x for <= 2.6 K, 3x up to 4 K, 4x above: every photo ends near 0.8-1.5 K wide."""
    return 2 if long_side <= 2600 else (3 if long_side <= 4100 else 4)


def _files(package: Package, folder: str, names_and_long_sides: tuple[tuple[str, int], ...]):
    return tuple(PhotoFile(package, f"{folder}/{name}", _factor(long))
                 for name, long in names_and_long_sides)


_PLASMA_PHOTOS = (("BytheWater", "2560x1600.jpg"), ("ColdRipple", "2560x1600.jpg"),
                  ("ColorfulCups", "2560x1600.jpg"), ("DarkestHour", "2560x1600.jpg"),
                  ("EveningGlow", "2560x1600.jpg"), ("FallenLeaf", "2560x1600.jpg"),
                  ("Grey", "2560x1600.jpg"), ("Kite", "2560x1600.jpg"),
                  ("OneStandsOut", "2560x1600.jpg"), ("Path", "2560x1600.jpg"),
                  ("Volna", "5120x2880.jpg"), ("summer_1am", "2560x1600.jpg"))

DEBIAN_PHOTOS: tuple[PhotoFile, ...] = (
    tuple(PhotoFile(PLASMA, f"usr/share/wallpapers/{name}/contents/images/{size}",
                    _factor(int(size.split("x")[0]))) for name, size in _PLASMA_PHOTOS)
    + _files(LOMIRI_16, "usr/share/backgrounds", (
        ("Bridge_by_Sander_Klootwijk.jpg", 4352), ("Dragonfly_by_Bolly.jpg", 4224),
        ("Picture_0B_by_freespace.jpg", 2572), ("Picture_1A_by_freespace.jpg", 1365),
        ("Wine_by_Jakkub_Mede.jpg", 3837), ("aitzgorri_by_Aitzol_Berasategi.jpg", 3088),
        ("analogpattern_by_Peter_Nerlich.jpg", 2880), ("free_by_Peter_Nerlich.jpg", 2880),
        ("friends_by_Aitzol_Berasategi.jpg", 3088), ("greentock_by_Peter_Nerlich.jpg", 2880),
        ("life_by_Aitzol_Berasategi.jpg", 3088), ("picosdeeuropa_by_Aitzol_Berasategi.jpg", 3264),
        ("seeding_by_Clements_Engelhardt.jpg", 5312), ("sunset_by_Aitzol_Berasategi.jpg", 4272)))
    + _files(LOMIRI_20, "usr/share/backgrounds", (("Kleiber_by_Lukas_Baubkus.jpg", 6028),))
    + _files(MATE, "usr/share/backgrounds/mate/nature", (
        ("Aqua.jpg", 2560), ("Blinds.jpg", 1920), ("Dune.jpg", 1680), ("FreshFlower.jpg", 1600),
        ("Garden.jpg", 2560), ("GreenMeadow.jpg", 1280), ("LadyBird.jpg", 2560),
        ("RainDrops.jpg", 1920), ("Storm.jpg", 1920), ("TwoWings.jpg", 2560), ("Wood.jpg", 2560),
        ("YellowFlower.jpg", 2560)))
    + _files(LXQT, "usr/share/lxqt/wallpapers", (
        ("Butterfly-Kenneth-Wimer.jpg", 1920), ("Valendas.png", 1920), ("after-the-rain.jpg", 3000),
        ("appleflower.png", 3000), ("beam.png", 2592), ("butterfly.png", 3000), ("cloud.png", 2048),
        ("drop.png", 2000), ("flowers.png", 3000), ("fog.jpg", 2048),
        ("this-is-not-windows.jpg", 2048)))
    + _files(PALAPELI, "usr/share/palapeli/collection", (
        ("castle-maintenon.jpg", 1024), ("cincinnati-bridge.jpg", 1302), ("citrus-fruits.jpg", 1350),
        ("european-honey-bee.jpg", 1620), ("panther-chameleon-female.jpg", 1530)))
)

# Photographs bundled in wheels: (photo id, loader expression, licence note). Small already,
# so not downscaled. skimage's "camera" and pywt's "camera" are the same picture: one kept.
WHEEL_PHOTOS: tuple[tuple[str, str, str], ...] = (
    ("skimage/astronaut", "skimage.data.astronaut()", "public domain (NASA), scikit-image"),
    ("skimage/camera", "skimage.data.camera()", "scikit-image (BSD-3-Clause; image CC0/PD per skimage docs)"),
    ("skimage/coffee", "skimage.data.coffee()", "CC0, scikit-image"),
    ("skimage/chelsea", "skimage.data.chelsea()", "CC0, scikit-image"),
    ("skimage/rocket", "skimage.data.rocket()", "public domain (SpaceX), scikit-image"),
    ("skimage/coins", "skimage.data.coins()", "public domain (Walters Art Museum), scikit-image"),
    ("skimage/moon", "skimage.data.moon()", "public domain, scikit-image"),
    ("skimage/brick", "skimage.data.brick()", "CC0, scikit-image"),
    ("skimage/grass", "skimage.data.grass()", "CC0, scikit-image"),
    ("skimage/gravel", "skimage.data.gravel()", "CC0, scikit-image"),
    ("pywt/aero", "pywt.data.aero()", "PyWavelets (MIT); public domain image"),
    ("pywt/ascent", "pywt.data.ascent()", "PyWavelets (MIT); scipy's ascent, free to use"),
    ("sklearn/china", "sklearn.datasets.load_sample_image('china.jpg')", "CC-BY 2.0 (scikit-learn sample)"),
    ("sklearn/flower", "sklearn.datasets.load_sample_image('flower.jpg')", "CC-BY 2.0 (scikit-learn sample)"),
    ("matplotlib/grace_hopper", "matplotlib.cbook.get_sample_data('grace_hopper.jpg')",
     "public domain (US Navy), matplotlib sample data"),
)
