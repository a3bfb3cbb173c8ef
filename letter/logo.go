package letter

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // the logo may be a JPEG
	"image/png"

	"github.com/lapordesk/lapordesk"
)

// Logo limits: a Pemda emblem is printed about 2.5 cm high, so 600 pixels is 600 dpi;
// anything much larger is a photo or a decompression bomb, not a logo.
const (
	logoMaxPixels = 40_000_000
	logoMaxSide   = 600
)

// ValidateLogo checks that b is a PNG or JPEG image that a letter can print, so the
// settings form can refuse a broken file when it is chosen, not when printing.
func ValidateLogo(b []byte) error {
	_, _, err := normalizeLogo(b)
	return err
}

// checkLogoHeader is the cheap part of ValidateLogo: size, format and dimensions.
func checkLogoHeader(b []byte) error {
	if len(b) > maxLogo {
		return fmt.Errorf("logo: file of %d bytes is larger than %d MiB: %w", len(b), maxLogo>>20, lapordesk.ErrInvalid)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("logo: not a PNG or JPEG image (%v): %w", err, lapordesk.ErrInvalid)
	}
	if format != "png" && format != "jpeg" {
		return fmt.Errorf("logo: %s image; choose a PNG or JPEG file: %w", format, lapordesk.ErrInvalid)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > logoMaxPixels {
		return fmt.Errorf("logo: %d x %d pixels is not a usable size: %w", cfg.Width, cfg.Height, lapordesk.ErrInvalid)
	}
	return nil
}

// normalizeLogo decodes a PNG or JPEG logo and re-encodes it as a plain 8-bit PNG no
// larger than logoMaxSide, the one form gofpdf reads without surprises (it rejects
// interlaced and 16-bit PNGs, and mishandles CMYK JPEGs). It returns the PNG and the
// image's aspect ratio (width / height).
func normalizeLogo(b []byte) ([]byte, float64, error) {
	if err := checkLogoHeader(b); err != nil {
		return nil, 0, err
	}
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, 0, fmt.Errorf("logo: damaged %s image (%v): %w", format, err, lapordesk.ErrInvalid)
	}
	img = shrink(img, logoMaxSide)
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return nil, 0, fmt.Errorf("logo: re-encode: %w", err)
	}
	bd := img.Bounds()
	return out.Bytes(), float64(bd.Dx()) / float64(bd.Dy()), nil
}

// shrink scales img down so that neither side exceeds side, averaging the source pixels
// under each target pixel (in premultiplied colour, so transparent edges stay clean).
// Smaller images come back as 8-bit NRGBA unchanged in size.
func shrink(img image.Image, side int) image.Image {
	b := img.Bounds()
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return src
	}
	nw, nh := side, side
	if w > h {
		nh = max(1, h*side/w)
	} else {
		nw = max(1, w*side/h)
	}
	dst := image.NewRGBA(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		y0, y1 := y*h/nh, max((y+1)*h/nh, y*h/nh+1)
		for x := 0; x < nw; x++ {
			x0, x1 := x*w/nw, max((x+1)*w/nw, x*w/nw+1)
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				i := src.PixOffset(x0, sy)
				for sx := x0; sx < x1; sx++ {
					r += uint64(src.Pix[i])
					g += uint64(src.Pix[i+1])
					bl += uint64(src.Pix[i+2])
					a += uint64(src.Pix[i+3])
					n++
					i += 4
				}
			}
			dst.SetRGBA(x, y, color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), uint8(a / n)})
		}
	}
	return dst
}
