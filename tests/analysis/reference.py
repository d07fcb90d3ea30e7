"""Expected figures for the analysis tests, each with the call or hand computation behind it.

R calls are base R (stats); "hand" means computed from the definition on paper, shown inline.
"""

# prop.test(3, 5, correct = FALSE)$conf.int  -> 0.2307 0.8824 (the Wilson score interval)
WILSON_3_OF_5 = (0.230724, 0.882379)
# prop.test(0, 5, correct = FALSE)$conf.int  -> 0.0000 0.4345
WILSON_0_OF_5 = (0.0, 0.434482)
# prop.test(16, 40, correct = FALSE)$conf.int -> 0.2635 0.5540
WILSON_16_OF_40 = (0.263483, 0.554041)

# prop.test(c(45, 30), c(50, 50), correct = FALSE): X-squared = 12, p-value = 0.000532
# z = (0.6 - 0.9) / sqrt(0.75 * 0.25 * (1/50 + 1/50)) = -0.3 / 0.0866 = -3.4641
TWO_PROPORTION_45_50_VS_30_50 = (-3.464102, 0.000532)
# prop.test(c(36, 16), c(40, 40), correct = FALSE): X-squared = 21.978, p-value = 2.758e-06
TWO_PROPORTION_36_40_VS_16_40_P = 2.758e-06

# answers [5, 4, 4, 3, 1]: mean = 17 / 5 = 3.4; CSAT = 3 of 5 = 60 %
# t.test(c(5, 4, 4, 3, 1))$conf.int -> 1.516923 5.283077
MEAN_54431 = (3.4, 1.516923, 5.283077)

# 10 answers: 5 promoters, 2 passives, 3 detractors (hand):
# NPS = 50 - 30 = 20; se = sqrt((0.5 + 0.3 - 0.2^2) / 10) = sqrt(0.076) = 0.275681 -> 27.5681
# interval = 20 -+ 1.959964 * 27.5681 = (-34.0325, 74.0325)
NPS_5_2_3 = (20.0, 27.568098, -34.032478, 74.032478)

# response rate 40 of 100: prop.test(40, 100, correct = FALSE)$conf.int -> 0.3094 0.4980
RATE_40_OF_100 = (40.0, 30.940129, 49.799741)

# Pearson correlation of x = (1,1,2,3) with y = (1,2,2,3) (hand / cor(c(1,1,2,3), c(1,2,2,3))):
# mean x = 1.75, mean y = 2; cov sum = 0.75*1 + 0.75*0 + 0 + 1.25*1 = 2.0
# ss x = 0.5625 + 0.5625 + 0.0625 + 1.5625 = 2.75; ss y = 1 + 0 + 0 + 1 = 2
# r = 2 / sqrt(2.75 * 2) = 0.852803
CORRELATION_1123_1223 = 0.852803
