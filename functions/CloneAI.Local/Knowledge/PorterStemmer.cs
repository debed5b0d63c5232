namespace CloneAI.Local.Knowledge;

/// <summary>
/// The Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), as in Porter's reference C implementation and
/// SQLite FTS5's <c>porter</c> tokenizer: the two departures from the paper are kept (<c>-bli → -ble</c> instead of
/// <c>-abli → -able</c>, and <c>-logi → -log</c>). Works in place on lower-case ASCII; words of one or two letters are unchanged.
/// </summary>
public static class PorterStemmer
{
    /// <summary>Stems <paramref name="word"/> in place and returns the stem's length. Characters other than a–z count as consonants.</summary>
    public static int Stem(Span<char> word)
    {
        if (word.Length <= 2) return word.Length;
        var s = new State(word);
        s.Step1Ab();
        if (s.K > 0)
        {
            s.Step1C();
            s.Step2();
            s.Step3();
            s.Step4();
            s.Step5();
        }
        return s.K + 1;
    }

    /// <summary>The stem of a lower-case word (a convenience for tests and callers with strings).</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var buffer = word.ToCharArray();
        return new string(buffer, 0, Stem(buffer));
    }

    /// <summary>The reference algorithm's state: <c>b[0..k]</c> is the word, <c>j</c> marks the end of the stem a suffix test found.</summary>
    private ref struct State(Span<char> b)
    {
        private readonly Span<char> _b = b;
        private int _j;

        public int K = b.Length - 1;

        private readonly bool Cons(int i) => _b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !Cons(i - 1),
            _ => true,
        };

        /// <summary>The number of consonant–vowel sequences in <c>b[0..j]</c>: [C](VC)^m[V].</summary>
        private readonly int M()
        {
            var n = 0;
            var i = 0;
            while (true)
            {
                if (i > _j) return n;
                if (!Cons(i)) break;
                i++;
            }
            i++;
            while (true)
            {
                while (true)
                {
                    if (i > _j) return n;
                    if (Cons(i)) break;
                    i++;
                }
                i++;
                n++;
                while (true)
                {
                    if (i > _j) return n;
                    if (!Cons(i)) break;
                    i++;
                }
                i++;
            }
        }

        private readonly bool VowelInStem()
        {
            for (var i = 0; i <= _j; i++)
            {
                if (!Cons(i)) return true;
            }
            return false;
        }

        private readonly bool DoubleC(int j) => j >= 1 && _b[j] == _b[j - 1] && Cons(j);

        /// <summary>consonant–vowel–consonant ending at i, the last consonant not w, x or y (e.g. -hop, not -snow).</summary>
        private readonly bool Cvc(int i)
        {
            if (i < 2 || !Cons(i) || Cons(i - 1) || !Cons(i - 2)) return false;
            return _b[i] is not ('w' or 'x' or 'y');
        }

        private bool Ends(string s)
        {
            var length = s.Length;
            if (length > K + 1 || s[^1] != _b[K]) return false;
            if (!_b.Slice(K - length + 1, length).SequenceEqual(s)) return false;
            _j = K - length;
            return true;
        }

        private void SetTo(string s)
        {
            s.AsSpan().CopyTo(_b[(_j + 1)..]);
            K = _j + s.Length;
        }

        private void R(string s)
        {
            if (M() > 0) SetTo(s);
        }

        /// <summary>Plurals and -ed or -ing: caresses → caress, ponies → poni, cats → cat, agreed → agree, hopping → hop, filing → file.</summary>
        public void Step1Ab()
        {
            if (_b[K] == 's')
            {
                if (Ends("sses")) K -= 2;
                else if (Ends("ies")) SetTo("i");
                else if (_b[K - 1] != 's') K--;
            }
            if (Ends("eed"))
            {
                if (M() > 0) K--;
            }
            else if ((Ends("ed") || Ends("ing")) && VowelInStem())
            {
                K = _j;
                if (Ends("at")) SetTo("ate");
                else if (Ends("bl")) SetTo("ble");
                else if (Ends("iz")) SetTo("ize");
                else if (DoubleC(K))
                {
                    K--;
                    if (_b[K] is 'l' or 's' or 'z') K++;
                }
                else if (Ends1() && M() == 1 && Cvc(K))
                {
                    SetTo("e");
                }
            }
        }

        /// <summary>Sets j to k (the whole word is the stem), as the reference code does before its m() == 1 test.</summary>
        private bool Ends1()
        {
            _j = K;
            return true;
        }

        /// <summary>Terminal y → i when there is another vowel in the stem.</summary>
        public void Step1C()
        {
            if (Ends("y") && VowelInStem()) _b[K] = 'i';
        }

        /// <summary>Double suffixes to single ones (-ization → -ize, -ational → -ate, …) when m() &gt; 0.</summary>
        public void Step2()
        {
            if (K < 1) return;
            switch (_b[K - 1])
            {
                case 'a':
                    if (Ends("ational")) R("ate");
                    else if (Ends("tional")) R("tion");
                    break;
                case 'c':
                    if (Ends("enci")) R("ence");
                    else if (Ends("anci")) R("ance");
                    break;
                case 'e':
                    if (Ends("izer")) R("ize");
                    break;
                case 'l':
                    if (Ends("bli")) R("ble");
                    else if (Ends("alli")) R("al");
                    else if (Ends("entli")) R("ent");
                    else if (Ends("eli")) R("e");
                    else if (Ends("ousli")) R("ous");
                    break;
                case 'o':
                    if (Ends("ization")) R("ize");
                    else if (Ends("ation")) R("ate");
                    else if (Ends("ator")) R("ate");
                    break;
                case 's':
                    if (Ends("alism")) R("al");
                    else if (Ends("iveness")) R("ive");
                    else if (Ends("fulness")) R("ful");
                    else if (Ends("ousness")) R("ous");
                    break;
                case 't':
                    if (Ends("aliti")) R("al");
                    else if (Ends("iviti")) R("ive");
                    else if (Ends("biliti")) R("ble");
                    break;
                case 'g':
                    if (Ends("logi")) R("log");
                    break;
            }
        }

        /// <summary>-ic-, -full, -ness etc., similar to step 2.</summary>
        public void Step3()
        {
            switch (_b[K])
            {
                case 'e':
                    if (Ends("icate")) R("ic");
                    else if (Ends("ative")) R("");
                    else if (Ends("alize")) R("al");
                    break;
                case 'i':
                    if (Ends("iciti")) R("ic");
                    break;
                case 'l':
                    if (Ends("ical")) R("ic");
                    else if (Ends("ful")) R("");
                    break;
                case 's':
                    if (Ends("ness")) R("");
                    break;
            }
        }

        /// <summary>Takes off -ant, -ence etc. in context &lt;c&gt;vcvc&lt;v&gt; (m() &gt; 1).</summary>
        public void Step4()
        {
            if (K < 1) return;
            switch (_b[K - 1])
            {
                case 'a':
                    if (Ends("al")) break;
                    return;
                case 'c':
                    if (Ends("ance") || Ends("ence")) break;
                    return;
                case 'e':
                    if (Ends("er")) break;
                    return;
                case 'i':
                    if (Ends("ic")) break;
                    return;
                case 'l':
                    if (Ends("able") || Ends("ible")) break;
                    return;
                case 'n':
                    if (Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent")) break;
                    return;
                case 'o':
                    if (Ends("ion") && _j >= 0 && _b[_j] is 's' or 't') break;
                    if (Ends("ou")) break;
                    return;
                case 's':
                    if (Ends("ism")) break;
                    return;
                case 't':
                    if (Ends("ate") || Ends("iti")) break;
                    return;
                case 'u':
                    if (Ends("ous")) break;
                    return;
                case 'v':
                    if (Ends("ive")) break;
                    return;
                case 'z':
                    if (Ends("ize")) break;
                    return;
                default:
                    return;
            }
            if (M() > 1) K = _j;
        }

        /// <summary>Removes a final -e if m() &gt; 1 (or m() = 1 and not *o), and -ll → -l if m() &gt; 1.</summary>
        public void Step5()
        {
            _j = K;
            if (_b[K] == 'e')
            {
                var a = M();
                if (a > 1 || (a == 1 && !Cvc(K - 1))) K--;
            }
            if (_b[K] == 'l' && DoubleC(K) && M() > 1) K--; // m() still measures up to the old end, as in the reference
        }
    }
}
