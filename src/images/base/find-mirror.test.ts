import { describe, expect, it } from 'vitest';
import { findMirror, parseAptSources } from './find-mirror.js';

describe('parseAptSources and findMirror', () => {
  it('reads deb822 stanzas and picks the one serving the suite with main', () => {
    // GIVEN Debian's deb822 file with a security stanza first
    const text = [
      'Types: deb',
      'URIs: http://deb.debian.org/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      '',
      'Types: deb deb-src',
      '# a comment',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
    ].join('\n');
    // WHEN the mirror for bookworm is looked up THEN it is the one that serves bookworm
    expect(findMirror(parseAptSources(text), 'bookworm')).toBe('http://mirror.example/debian');
  });

  it('reads one-line sources with options and skips deb-src and other suites', () => {
    const text = 'deb-src http://src.example/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] https://deb.nodesource.com/node_20.x nodistro main\ndeb http://ftp.example/debian bookworm main # local\n';
    expect(findMirror(parseAptSources(text), 'bookworm')).toBe('http://ftp.example/debian');
    expect(findMirror(parseAptSources(text), 'trixie')).toBeUndefined();
  });
});
