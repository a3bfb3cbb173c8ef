package letter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lapordesk/lapordesk"
)

// The unit's letter configuration is kept among the store's settings under three
// keys; this package owns their formats. The letterhead and the signer are what a
// settings editor shows first, the letter settings the rest.
const (
	KeyLetterhead     = "letterhead"      // LetterheadConfig
	KeySigner         = "signer"          // Signer
	KeyLetterSettings = "letter_settings" // Settings and the page margins
)

// Problem codes of the letterhead logo file (FieldError.Problem, translated as
// "error.<code>"); the Value is the file's path.
const (
	ProblemLogoUnreadable = "logo_unreadable" // missing, unreadable or too large
	ProblemLogoInvalid    = "logo_invalid"    // not a PNG or JPEG image, or damaged
)

// LetterheadConfig is the "letterhead" setting. The logo is kept as a path and read
// when a letter is printed, so replacing the file replaces the emblem.
type LetterheadConfig struct {
	PemdaName string `json:"pemda_name"` // "Kabupaten Barru"; empty: the profile's
	UnitName  string `json:"unit_name"`  // empty: the profile's
	Address   string `json:"address"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Website   string `json:"website"`
	LogoPath  string `json:"logo_path"` // PNG or JPEG; empty prints no logo
	Paper     Paper  `json:"paper"`     // "A4" or "F4"; empty is A4
}

// Config is the unit's letter configuration as stored and edited. Whatever is left
// empty takes its default from the desk's profile (Office), so letters print right
// after setup.
type Config struct {
	Letterhead LetterheadConfig `json:"letterhead"`
	Signer     Signer           `json:"signer"`
	Settings   Settings         `json:"settings"`
	Margins    Margins          `json:"margins"` // zero: DefaultMargins
}

// storedSettings is the "letter_settings" value: the settings and the margins.
type storedSettings struct {
	Settings
	Margins *Margins `json:"margins,omitempty"`
}

// SettingsReader is what reading the configuration needs of the store
// (*storage.Store is one).
type SettingsReader interface {
	Setting(ctx context.Context, key string, v any) error
	Profile() (lapordesk.Profile, error)
}

// SettingsWriter also saves it, all keys in one transaction.
type SettingsWriter interface {
	SettingsReader
	PutSettings(ctx context.Context, values map[string]any) error
}

// LoadConfig reads the configuration as stored; keys never saved are empty.
func LoadConfig(ctx context.Context, st SettingsReader) (Config, error) {
	var c Config
	var ss storedSettings
	for _, s := range []struct {
		key string
		v   any
	}{{KeyLetterhead, &c.Letterhead}, {KeySigner, &c.Signer}, {KeyLetterSettings, &ss}} {
		if err := st.Setting(ctx, s.key, s.v); err != nil && !errors.Is(err, lapordesk.ErrNotFound) {
			return Config{}, fmt.Errorf("letter configuration: %w", err)
		}
	}
	c.Settings = ss.Settings
	if ss.Margins != nil {
		c.Margins = *ss.Margins
	}
	return c, nil
}

// LoadOffice reads the configuration and resolves it for printing (Config.Office).
func LoadOffice(ctx context.Context, st SettingsReader) (Office, error) {
	_, o, err := loadOffice(ctx, st)
	return o, err
}

// loadOffice is LoadOffice that also returns the profile, whose training flag
// printing needs.
func loadOffice(ctx context.Context, st SettingsReader) (lapordesk.Profile, Office, error) {
	p, err := st.Profile()
	if err != nil {
		return p, Office{}, err
	}
	c, err := LoadConfig(ctx, st)
	if err != nil {
		return p, Office{}, err
	}
	o, err := c.Office(p)
	return p, o, err
}

// SaveOffice checks the configuration as printing will use it (defaults from the
// profile, the logo file read and decoded) and saves it; a configuration that could
// not print is refused whole, with every wrong field named, and nothing is written.
func SaveOffice(ctx context.Context, st SettingsWriter, c Config) error {
	c = c.clean()
	p, err := st.Profile()
	if err != nil {
		return err
	}
	if _, err := c.Office(p); err != nil {
		return err
	}
	var margins *Margins
	if c.Margins != (Margins{}) {
		margins = &c.Margins
	}
	err = st.PutSettings(ctx, map[string]any{
		KeyLetterhead:     c.Letterhead,
		KeySigner:         c.Signer,
		KeyLetterSettings: storedSettings{Settings: c.Settings, Margins: margins},
	})
	if err != nil {
		return fmt.Errorf("save letter configuration: %w", err)
	}
	return nil
}

// clean trims what a user typed around the values.
func (c Config) clean() Config {
	h := &c.Letterhead
	for _, s := range []*string{&h.PemdaName, &h.UnitName, &h.Address, &h.Phone, &h.Email, &h.Website, &h.LogoPath,
		&c.Signer.Jabatan, &c.Signer.Name, &c.Signer.Pangkat, &c.Signer.NIP,
		&c.Settings.NumberPattern, &c.Settings.ClassificationCode, &c.Settings.UnitCode, &c.Settings.Place, &c.Settings.Lampiran, &c.Settings.VerifyURL} {
		*s = strings.TrimSpace(*s)
	}
	h.Paper = Paper(strings.ToUpper(strings.TrimSpace(string(h.Paper))))
	c.Settings.Tembusan = nonBlank(c.Settings.Tembusan)
	c.Settings.Instructions = nonBlank(c.Settings.Instructions)
	if isBlank(c.Settings.Template) {
		c.Settings.Template = ""
	}
	return c
}

// Office resolves the configuration for printing: the defaults of what is left
// empty from the profile (WithProfile), the logo read from its file. It fails, with
// every wrong field named, when the configuration cannot print.
func (c Config) Office(p lapordesk.Profile) (Office, error) {
	c = c.clean()
	h := c.Letterhead
	o := Office{
		Letterhead: Letterhead{Pemda: h.PemdaName, Unit: h.UnitName, Address: h.Address, Phone: h.Phone, Email: h.Email,
			Website: h.Website, Paper: h.Paper, Margins: c.Margins},
		Settings: c.Settings,
		Signer:   c.Signer,
	}
	if o.Letterhead.Paper == "" {
		o.Letterhead.Paper = PaperA4
	}
	o, err := o.WithProfile(p)
	if err != nil {
		return Office{}, err
	}
	var errs lapordesk.ValidationErrors
	logo, logoErr := readLogo(h.LogoPath)
	if logoErr != nil {
		errs = append(errs, logoErr)
	}
	if err := o.Validate(); err != nil {
		var ve lapordesk.ValidationErrors
		if !errors.As(err, &ve) {
			return Office{}, err
		}
		errs = append(errs, ve...)
	}
	if len(errs) > 0 {
		return Office{}, errs
	}
	o.Letterhead.Logo = logo
	return o, nil
}

// readLogo reads and checks the logo file; the error names the file.
func readLogo(path string) ([]byte, *lapordesk.FieldError) {
	if path == "" {
		return nil, nil
	}
	fe := func(problem string) *lapordesk.FieldError {
		return &lapordesk.FieldError{Field: "letterhead.logo_path", Problem: problem, Value: path}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fe(ProblemLogoUnreadable)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxLogo+1))
	if err != nil || len(b) > maxLogo {
		return nil, fe(ProblemLogoUnreadable)
	}
	if err := ValidateLogo(b); err != nil {
		return nil, fe(ProblemLogoInvalid)
	}
	return b, nil
}
