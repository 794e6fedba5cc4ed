// Exact fractions on BigInt, so credit shares are compared and summed without float drift.

export class Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;

  private constructor(numerator: bigint, denominator: bigint) {
    this.numerator = numerator;
    this.denominator = denominator;
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  static of(numerator: bigint | number, denominator: bigint | number = 1n): Rational {
    let n = BigInt(numerator);
    let d = BigInt(denominator);
    if (d === 0n) throw new RangeError("Rational with zero denominator");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n < 0n ? -n : n, d);
    return g > 1n ? new Rational(n / g, d / g) : new Rational(n, d);
  }

  /** The exact value of a finite decimal string such as "0.125" or "1e-3". */
  static fromDecimalString(text: string): Rational {
    const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
    if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
      throw new RangeError(`Not a decimal number: ${text}`);
    }
    const [, sign, whole = "", fraction = "", exponentText] = match;
    const exponent = Number(exponentText ?? "0") - fraction.length;
    const digits = BigInt(`${sign}${whole}${fraction}`);
    return exponent >= 0
      ? Rational.of(digits * 10n ** BigInt(exponent))
      : Rational.of(digits, 10n ** BigInt(-exponent));
  }

  add(other: Rational): Rational {
    return Rational.of(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  multiply(other: Rational): Rational {
    return Rational.of(this.numerator * other.numerator, this.denominator * other.denominator);
  }

  divide(other: Rational): Rational {
    return Rational.of(this.numerator * other.denominator, this.denominator * other.numerator);
  }

  compare(other: Rational): number {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  isZero(): boolean {
    return this.numerator === 0n;
  }

  /** Largest integer ≤ the value. */
  floor(): bigint {
    const q = this.numerator / this.denominator;
    return this.numerator < 0n && q * this.denominator !== this.numerator ? q - 1n : q;
  }

  toNumber(): number {
    // Scale before dividing so huge numerators and denominators keep their precision.
    return Number(this.toDecimalString(20));
  }

  /** The nearest fraction with denominator 10^places (half-even), to keep approximate weights from growing. */
  roundToPlaces(places: number): Rational {
    return Rational.fromDecimalString(this.toDecimalString(places));
  }

  /** Decimal string with at most `places` decimals, rounded half-even, trailing zeros trimmed. */
  toDecimalString(places = 30): string {
    const negative = this.numerator < 0n;
    const n = negative ? -this.numerator : this.numerator;
    const scale = 10n ** BigInt(places);
    let scaled = (n * scale) / this.denominator;
    const remainder = n * scale - scaled * this.denominator;
    const twice = remainder * 2n;
    if (twice > this.denominator || (twice === this.denominator && scaled % 2n === 1n)) scaled += 1n;
    const digits = scaled.toString().padStart(places + 1, "0");
    const whole = digits.slice(0, digits.length - places);
    const fraction = digits.slice(digits.length - places).replace(/0+$/, "");
    const text = fraction ? `${whole}.${fraction}` : whole;
    return negative && scaled !== 0n ? `-${text}` : text;
  }

  toString(): string {
    return this.denominator === 1n ? this.numerator.toString() : `${this.numerator}/${this.denominator}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

export function sumRationals(values: Iterable<Rational>): Rational {
  let total = Rational.ZERO;
  for (const value of values) total = total.add(value);
  return total;
}
