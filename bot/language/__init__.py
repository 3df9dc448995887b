"""What Ofsted's words mean, for every stage: sentences, words, grades and judgement names, councils and regions.

It owns the rules that more than one stage needs: how a sentence is split, how a council's name is folded so that
spellings compare equal, which words are grades, which councils sit in which region. It may import only the shared
top level (`bot.datafiles` for its tables) and the standard library; every other stage may import it.
"""
